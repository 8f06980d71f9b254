package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorum.raft.testing.Await;
import io.quorum.server.AllowedOrigins;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BrowserGuard} on a real single node listening on 127.0.0.1 with {@code --allowed-origins}
 * naming one console: foreign origins and foreign Host headers are refused before anything is
 * proposed, the console gets CORS answers, and loopback Host headers pass.
 */
class BrowserGuardApiTest {

    private static final String CONSOLE = "http://console.example:8080";
    private static final String EVIL = "https://evil.example";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path data;
    static QuorumServer server;
    static Api api;

    @BeforeAll
    static void startNode() throws Exception {
        SortedMap<String, String> members = TestCluster.freeMembers(1);
        HostPort raft = HostPort.parse(members.get("n1"));
        server = QuorumServer.start(new ServerSettings("n1", data.resolve("n1"), new HostPort("127.0.0.1", 0), raft, raft,
                members, TestCluster.MAX_VALUE_BYTES, TestCluster.TICK, null, AllowedOrigins.parse(CONSOLE)), Duration.ofSeconds(2));
        api = new Api(server.httpPort());
        // Once its HTTP address is applied, the node proposes nothing unasked: applied indexes can be compared.
        Await.until("the node ready with its HTTP address applied", Duration.ofSeconds(10),
                () -> api.get("/ready").status() == 200
                        && Await.result(server.service().memberHttpAddrs()).containsKey("n1"));
    }

    @AfterAll
    static void stopNode() {
        server.close();
    }

    @Test
    void aForeignOriginIsRefusedBeforeAnythingIsProposed() {
        long applied = server.service().appliedIndex();

        // What a page's fetch() or form can send without a preflight: a text/plain body.
        Api.Answer put = api.put("/v1/kv/browser/forbidden", "x", "Origin", EVIL, "Content-Type", "text/plain");
        Api.Answer session = api.post("/v1/sessions", "{\"ttl\":\"15s\"}", "Origin", EVIL, "Content-Type", "text/plain");
        Api.Answer lock = api.post("/v1/locks/browser/lock", "{}", "Origin", EVIL, "Content-Type", "text/plain");

        for (Api.Answer refused : new Api.Answer[] {put, session, lock}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("FORBIDDEN_ORIGIN");
            assertThat(refused.json().path("error").path("message").asText())
                    .contains("'" + EVIL + "'").contains("--allowed-origins");
            assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
            assertThat(refused.header("X-Quorum-Index")).as("a refused page learns nothing of the cluster").isNull();
            assertThat(vary(refused)).containsExactly("origin");
        }
        assertThat(api.get("/v1/kv/browser/forbidden").status()).as("linearizable read").isEqualTo(404);
        assertThat(api.get("/v1/sessions").json().get("sessions")).isEmpty();
        assertThat(server.service().appliedIndex()).as("no entry was applied").isEqualTo(applied);
    }

    @Test
    void aForeignOriginsPreflightAndReadsAreRefusedToo() {
        Api.Answer preflight = api.send("OPTIONS", "/v1/kv/x", null, "Origin", EVIL, "Access-Control-Request-Method", "PUT");
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.errorCode()).isEqualTo("FORBIDDEN_ORIGIN");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();

        Api.Answer read = api.get("/v1/cluster", "Origin", EVIL);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.errorCode()).isEqualTo("FORBIDDEN_ORIGIN");
    }

    @Test
    void theAllowedOriginsPreflightGetsTheCorsAnswer() {
        Api.Answer preflight = api.send("OPTIONS", "/v1/kv/browser/allowed", null, "Origin", CONSOLE,
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,if-match");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
        assertThat(vary(preflight)).containsExactly("origin");
        assertThat(list(preflight.header("Access-Control-Allow-Methods"))).containsExactlyInAnyOrder("GET", "PUT", "POST", "DELETE");
        assertThat(list(preflight.header("Access-Control-Allow-Headers"))).containsExactlyInAnyOrder("Content-Type", "Accept",
                "If-Match", "If-None-Match", "X-Quorum-Fence", "Last-Event-ID", "Authorization", "Idempotency-Key");
        assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).as("the API uses no cookies").isNull();
    }

    @Test
    void theAllowedOriginsRequestsAreServedWithTheHeadersAPageMayRead() {
        Api.Answer put = api.put("/v1/kv/browser/allowed", "hello", "Origin", CONSOLE, "Content-Type", "text/plain");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
        assertThat(vary(put)).as("once").containsExactly("origin");

        Api.Answer get = api.get("/v1/kv/browser/allowed", "Origin", CONSOLE);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).isEqualTo("hello");
        assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo(CONSOLE);
        assertThat(list(get.header("Access-Control-Expose-Headers"))).containsExactlyInAnyOrder("X-Quorum-Index",
                "X-Quorum-Leader", "X-Quorum-Version", "X-Quorum-Mod-Index", "ETag", "Retry-After");
        assertThat(get.header("X-Quorum-Index")).isNotNull();
    }

    @Test
    void aRequestWithoutOriginGetsNoCorsHeaders() {
        Api.Answer health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.header("Access-Control-Allow-Origin")).isNull();
        assertThat(vary(health)).as("a cache must not hand this to a page").containsExactly("origin");
    }

    @Test
    void aForeignHostIsRefusedAsDnsRebindingAndNothingIsWritten() throws IOException {
        long applied = server.service().appliedIndex();

        Raw get = Raw.send(server.httpPort(), "GET /v1/cluster HTTP/1.1", "evil.example:7001", null);
        assertThat(get.status()).as(get.toString()).isEqualTo(403);
        JsonNode error = get.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("FORBIDDEN_ORIGIN");
        assertThat(error.path("message").asText()).contains("'evil.example:7001'").contains("DNS rebinding");

        Raw put = Raw.send(server.httpPort(), "PUT /v1/kv/browser/rebound HTTP/1.1", "evil.example:7001", "x");
        assertThat(put.status()).as(put.toString()).isEqualTo(403);
        assertThat(api.get("/v1/kv/browser/rebound").status()).isEqualTo(404);
        assertThat(server.service().appliedIndex()).isEqualTo(applied);
    }

    @Test
    void loopbackHostsPass() throws IOException {
        int port = server.httpPort();
        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "localhost", "[::1]:" + port}) {
            Raw health = Raw.send(port, "GET /health HTTP/1.1", host, null);
            assertThat(health.status()).as(host + ": " + health).isEqualTo(200);
        }
        Raw noHost = Raw.send(port, "GET /health HTTP/1.0", null, null);
        assertThat(noHost.status()).as("HTTP/1.0 without Host: " + noHost).isEqualTo(200);
    }

    /** Vary's field names, which are case-insensitive. */
    private static List<String> vary(Api.Answer answer) {
        return list(answer.header("Vary")).stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<String> list(String header) {
        assertThat(header).isNotNull();
        return Arrays.stream(header.split(",")).map(String::strip).toList();
    }

    /** One request written by hand on its own connection: Java's HTTP client will not send another Host. */
    private record Raw(int status, String head, String body) {

        static Raw send(int port, String requestLine, String host, String body) throws IOException {
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(requestLine).append("\r\n");
            if (host != null) {
                request.append("Host: ").append(host).append("\r\n");
            }
            request.append("Connection: close\r\nContent-Length: ").append(content.length).append("\r\n\r\n");
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.flush();
                InputStream in = socket.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int end = answer.indexOf("\r\n\r\n");
                String head = end < 0 ? answer : answer.substring(0, end);
                return new Raw(Integer.parseInt(head.split(" ", 3)[1]), head, end < 0 ? "" : answer.substring(end + 4));
            }
        }

        JsonNode json() throws IOException {
            return MAPPER.readTree(body);
        }

        @Override
        public String toString() {
            return head + "\n\n" + body;
        }
    }
}
