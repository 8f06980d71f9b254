package io.quorum.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Requests to one node's HTTP API with the JDK client. A refused or dropped connection and a
 * request timeout are thrown as {@link UncheckedIOException}: for a write, an indeterminate outcome.
 */
public final class Http {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final HttpClient client;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.client = CLIENT;
    }

    /** Requests over HTTPS to {@code 127.0.0.1:port}, with {@code tls}'s trusted CAs and client certificate. */
    public Http(int port, SSLContext tls) {
        this.base = "https://127.0.0.1:" + port;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .sslContext(tls).build();
    }

    public Answer get(String path, String... headers) {
        return send("GET", path, null, DEFAULT_TIMEOUT, headers);
    }

    public Answer put(String path, String value, String... headers) {
        return send("PUT", path, value.getBytes(StandardCharsets.UTF_8), DEFAULT_TIMEOUT, headers);
    }

    public Answer post(String path, String json, String... headers) {
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8), DEFAULT_TIMEOUT, headers);
    }

    public Answer delete(String path, String... headers) {
        return send("DELETE", path, null, DEFAULT_TIMEOUT, headers);
    }

    /** {@code headers} are name, value pairs; {@code body} null sends none. */
    public Answer send(String method, String path, byte[] body, Duration timeout, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return new Answer(client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A streaming GET, such as server-sent events: its lines as they arrive; close the stream to end it. */
    public HttpResponse<Stream<String>> lines(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + base + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return base;
    }

    /** One answer: status, raw body and headers, with JSON helpers. */
    public record Answer(HttpResponse<byte[]> response) {

        public int status() {
            return response.statusCode();
        }

        public String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status() + "): " + text(), e);
            }
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** {@code error.code} of an error answer, or null. */
        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }

        @Override
        public String toString() {
            return status() + " " + text();
        }
    }
}
