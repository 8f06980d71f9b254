package io.quorum.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server ({@code prometheus} of the Debian package) as a child process, on a
 * free loopback port, with its TSDB and log under one directory, and the requests of its HTTP API
 * that the tests need. {@link #close} ends it; a shutdown hook does the same if the JVM exits first.
 */
public final class PrometheusServer implements AutoCloseable {

    /** Where Debian's package installs the server. */
    public static final Path BINARY = Path.of("/usr/bin/prometheus");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);

    private final Process process;
    private final Path logFile;
    private final String base;
    private final Thread cleanup;

    private PrometheusServer(Process process, Path logFile, int port) {
        this.process = process;
        this.logFile = logFile;
        this.base = "http://127.0.0.1:" + port;
        this.cleanup = new Thread(process::destroyForcibly, "prometheus-cleanup");
    }

    /** True when the server's binary is installed here. */
    public static boolean installed() {
        return new File(BINARY.toString()).canExecute();
    }

    /**
     * Starts Prometheus on {@code configFile} with its data and log under {@code dir}, and waits
     * until it answers {@code /-/ready}.
     */
    public static PrometheusServer start(Path configFile, Path dir) {
        int port = FreePorts.next();
        Path logFile = dir.resolve("prometheus.log");
        List<String> command = List.of(BINARY.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port);
        PrometheusServer server;
        try {
            Files.createDirectories(dir);
            Files.writeString(logFile, "---- " + String.join(" ", command) + System.lineSeparator());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            server = new PrometheusServer(process, logFile, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        Runtime.getRuntime().addShutdownHook(server.cleanup);
        try {
            Await.until(READY_DEADLINE, ProcessCluster.throttled(server::ready), () -> "Prometheus ready; see " + logFile);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("prometheus exited " + process.exitValue() + "; see " + logFile + ":\n" + log());
        }
        try {
            return send("/-/ready").statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    public Path logFile() {
        return logFile;
    }

    /** The server's log so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** {@code GET /api/v1/query?query=expr}: an instant query evaluated now. */
    public ApiAnswer query(String expr) {
        return api("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    /** {@code GET path} of the HTTP API ({@code /api/v1/...}), its JSON envelope parsed. */
    public ApiAnswer api(String path) {
        HttpResponse<byte[]> response = send(path);
        try {
            return new ApiAnswer(response.statusCode(), MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + " with no JSON: "
                    + new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }

    private HttpResponse<byte[]> send(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + base + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then SIGKILL if Prometheus has not exited within 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    @Override
    public String toString() {
        return "prometheus " + base;
    }

    /**
     * One answer of the HTTP API: {@code {"status":"success"|"error","data":…,"error":…}}.
     *
     * @param httpStatus the HTTP status (400 or 422 for an expression that does not parse or evaluate)
     * @param body the JSON envelope
     */
    public record ApiAnswer(int httpStatus, JsonNode body) {

        public boolean success() {
            return "success".equals(body.path("status").asText());
        }

        public JsonNode data() {
            return body.path("data");
        }

        /** The samples of a query's vector, or the one sample of a scalar, as {@code {"metric","value"}} nodes. */
        public List<JsonNode> samples() {
            JsonNode data = data();
            String type = data.path("resultType").asText();
            if (type.equals("scalar") || type.equals("string")) {
                return List.of(MAPPER.createObjectNode().set("value", data.path("result")));
            }
            return List.copyOf(MAPPER.convertValue(data.path("result"), MAPPER.getTypeFactory()
                    .constructCollectionType(List.class, JsonNode.class)));
        }

        /** The value of the first sample: a number, {@code NaN}, {@code +Inf}; empty without samples. */
        public Optional<String> firstValue() {
            List<JsonNode> samples = samples();
            if (samples.isEmpty()) {
                return Optional.empty();
            }
            JsonNode sample = samples.get(0);
            JsonNode value = sample.has("value") ? sample.get("value") : sample.path("values").path(0);
            return Optional.of(value.path(1).asText());
        }

        /** Whether some sample holds a finite number, something a graph can draw. */
        public boolean hasFiniteSample() {
            for (JsonNode sample : samples()) {
                try {
                    double value = Double.parseDouble(sample.path("value").path(1).asText());
                    if (Double.isFinite(value)) {
                        return true;
                    }
                } catch (NumberFormatException e) {
                    // "NaN", "+Inf" and "-Inf" parse; anything else is not a number either.
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return httpStatus + " " + body;
        }
    }
}
