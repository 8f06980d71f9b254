package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TESTING.md section 4 for the routed endpoints: each bad request gets its documented status and
 * JSON error code, nothing reaches the Raft log (the commit index stays), and the node stays healthy.
 */
class BadInputTest extends SingleNodeFixture {

    @BeforeAll
    static void writeAKey() {
        api.put("/v1/kv/exists", "v");
    }

    static Stream<Arguments> badRequests() {
        String tooLong = "k".repeat(2048);
        String overLimit = "v".repeat(TestCluster.MAX_VALUE_BYTES + 1);
        String hugeJson = "{\"ttl\":\"" + "1".repeat(70 * 1024) + "\"}";
        return Stream.of(
                bad("empty key", "PUT", "/v1/kv/", "v", 400, "INVALID_ARGUMENT"),
                bad("dot-dot segment", "PUT", "/v1/kv/a/../b", "v", 400, "INVALID_ARGUMENT"),
                bad("dot segment", "PUT", "/v1/kv/a/./b", "v", 400, "INVALID_ARGUMENT"),
                bad("empty segment", "PUT", "/v1/kv/a//b", "v", 400, "INVALID_ARGUMENT"),
                bad("NUL in key", "PUT", "/v1/kv/a%00b", "v", 400, "INVALID_ARGUMENT"),
                bad("space in key", "GET", "/v1/kv/a%20b", null, 400, "INVALID_ARGUMENT"),
                bad("2 KiB key", "PUT", "/v1/kv/" + tooLong, "v", 400, "INVALID_ARGUMENT"),
                bad("2 KiB key read", "GET", "/v1/kv/" + tooLong, null, 400, "INVALID_ARGUMENT"),
                bad("value over the limit", "PUT", "/v1/kv/big", overLimit, 413, "TOO_LARGE"),
                bad("If-Match not a number", "PUT", "/v1/kv/exists", "v", 400, "INVALID_ARGUMENT", "If-Match", "abc"),
                bad("If-Match zero", "PUT", "/v1/kv/exists", "v", 400, "INVALID_ARGUMENT", "If-Match", "0"),
                bad("If-None-Match a version", "PUT", "/v1/kv/exists", "v", 400, "INVALID_ARGUMENT", "If-None-Match", "\"3\""),
                bad("both preconditions", "PUT", "/v1/kv/exists", "v", 400, "INVALID_ARGUMENT",
                        "If-Match", "1", "If-None-Match", "*"),
                bad("create-only on a delete", "DELETE", "/v1/kv/exists", null, 400, "INVALID_ARGUMENT", "If-None-Match", "*"),
                bad("fence without token", "PUT", "/v1/kv/exists", "v", 400, "INVALID_ARGUMENT", "X-Quorum-Fence", "lock"),
                bad("fence negative token", "PUT", "/v1/kv/exists", "v", 400, "INVALID_ARGUMENT", "X-Quorum-Fence", "lock;-1"),
                bad("fence bad lock key", "DELETE", "/v1/kv/exists", null, 400, "INVALID_ARGUMENT", "X-Quorum-Fence", "..;5"),
                bad("ephemeral without session", "PUT", "/v1/kv/e?ephemeral=true", "v", 400, "INVALID_ARGUMENT"),
                bad("session without ephemeral", "PUT", "/v1/kv/e?session=5", "v", 400, "INVALID_ARGUMENT"),
                bad("session not a number", "PUT", "/v1/kv/e?session=abc&ephemeral=true", "v", 400, "INVALID_ARGUMENT"),
                bad("ephemeral, session gone", "PUT", "/v1/kv/e?session=1&ephemeral=true", "v", 404, "SESSION_NOT_FOUND"),
                bad("ephemeral, session unknown", "PUT", "/v1/kv/e?session=987654321&ephemeral=true", "v", 404,
                        "SESSION_NOT_FOUND"),
                bad("unknown consistency", "GET", "/v1/kv/exists?consistency=eventual", null, 400, "INVALID_ARGUMENT"),
                bad("list limit zero", "GET", "/v1/kv/?list&limit=0", null, 400, "INVALID_ARGUMENT"),
                bad("list limit huge", "GET", "/v1/kv/?list&limit=99999999999999999999", null, 400, "INVALID_ARGUMENT"),
                bad("list bad delimiter", "GET", "/v1/kv/?list&delimiter=,", null, 400, "INVALID_ARGUMENT"),
                bad("list bad after", "GET", "/v1/kv/?list&after=a%00", null, 400, "INVALID_ARGUMENT"),
                bad("list bad prefix", "GET", "/v1/kv/a%2A?list", null, 400, "INVALID_ARGUMENT"),
                bad("malformed JSON", "POST", "/v1/sessions", "{x", 400, "INVALID_ARGUMENT"),
                bad("JSON not an object", "POST", "/v1/sessions", "[1]", 400, "INVALID_ARGUMENT"),
                bad("JSON null", "POST", "/v1/sessions", "null", 400, "INVALID_ARGUMENT"),
                bad("trailing JSON", "POST", "/v1/sessions", "{\"ttl\":\"10s\"} {}", 400, "INVALID_ARGUMENT"),
                bad("unknown field", "POST", "/v1/sessions", "{\"tll\":\"10s\"}", 400, "INVALID_ARGUMENT"),
                bad("ttl wrong type", "POST", "/v1/sessions", "{\"ttl\":true}", 400, "INVALID_ARGUMENT"),
                bad("ttl fraction", "POST", "/v1/sessions", "{\"ttl\":1500.5}", 400, "INVALID_ARGUMENT"),
                bad("ttl negative", "POST", "/v1/sessions", "{\"ttl\":\"-5s\"}", 400, "INVALID_ARGUMENT"),
                bad("ttl absurd", "POST", "/v1/sessions", "{\"ttl\":\"999999999999h\"}", 400, "INVALID_ARGUMENT"),
                bad("ttl absurd integer", "POST", "/v1/sessions", "{\"ttl\":99999999999999999999999}", 400, "INVALID_ARGUMENT"),
                bad("ttl unknown unit", "POST", "/v1/sessions", "{\"ttl\":\"10 parsecs\"}", 400, "INVALID_ARGUMENT"),
                bad("ttl below 1s", "POST", "/v1/sessions", "{\"ttl\":\"500ms\"}", 400, "INVALID_ARGUMENT"),
                bad("ttl above 1h", "POST", "/v1/sessions", "{\"ttl\":\"2h\"}", 400, "INVALID_ARGUMENT"),
                bad("lockDelay above 1m", "POST", "/v1/sessions", "{\"lockDelay\":\"5m\"}", 400, "INVALID_ARGUMENT"),
                bad("JSON body over the limit", "POST", "/v1/sessions", hugeJson, 413, "TOO_LARGE"),
                bad("session id not a number", "POST", "/v1/sessions/abc/keepalive", null, 400, "INVALID_ARGUMENT"),
                bad("session id zero", "POST", "/v1/sessions/0/keepalive", null, 400, "INVALID_ARGUMENT"),
                bad("keepalive unknown session", "POST", "/v1/sessions/987654321/keepalive", null, 404, "SESSION_NOT_FOUND"),
                bad("keepalive session gone", "POST", "/v1/sessions/2/keepalive", null, 404, "SESSION_NOT_FOUND"),
                bad("close unknown session", "DELETE", "/v1/sessions/987654321", null, 404, "SESSION_NOT_FOUND"),
                bad("inspect unknown session", "GET", "/v1/sessions/987654321", null, 404, "SESSION_NOT_FOUND"),
                bad("inspect negative session", "GET", "/v1/sessions/-1", null, 400, "INVALID_ARGUMENT"),
                bad("sessions bad consistency", "GET", "/v1/sessions?consistency=x", null, 400, "INVALID_ARGUMENT"),
                bad("unrouted path", "POST", "/v1/nothing/here", "{}", 404, "NOT_FOUND"),
                bad("lock bad key", "POST", "/v1/locks/a//b", "{\"session\":1}", 400, "INVALID_ARGUMENT"),
                bad("lock empty key", "POST", "/v1/locks/", "{\"session\":1}", 400, "INVALID_ARGUMENT"),
                bad("lock malformed JSON", "POST", "/v1/locks/a", "{x", 400, "INVALID_ARGUMENT"),
                bad("lock JSON not an object", "POST", "/v1/locks/a", "[1]", 400, "INVALID_ARGUMENT"),
                bad("lock unknown field", "POST", "/v1/locks/a", "{\"session\":1,\"ttl\":\"1s\"}", 400, "INVALID_ARGUMENT"),
                bad("lock without session", "POST", "/v1/locks/a", "{}", 400, "INVALID_ARGUMENT"),
                bad("lock session wrong type", "POST", "/v1/locks/a", "{\"session\":true}", 400, "INVALID_ARGUMENT"),
                bad("lock session zero", "POST", "/v1/locks/a", "{\"session\":0}", 400, "INVALID_ARGUMENT"),
                bad("lock unknown mode", "POST", "/v1/locks/a", "{\"session\":1,\"mode\":\"upgradable\"}", 400,
                        "INVALID_ARGUMENT"),
                bad("lock wait absurd", "POST", "/v1/locks/a", "{\"session\":1,\"wait\":\"999999999999h\"}", 400,
                        "INVALID_ARGUMENT"),
                bad("lock wait over 1h", "POST", "/v1/locks/a", "{\"session\":1,\"wait\":\"2h\"}", 400, "INVALID_ARGUMENT"),
                bad("lock wait negative", "POST", "/v1/locks/a", "{\"session\":1,\"wait\":\"-1s\"}", 400, "INVALID_ARGUMENT"),
                bad("lock wait wrong type", "POST", "/v1/locks/a", "{\"session\":1,\"wait\":[]}", 400, "INVALID_ARGUMENT"),
                bad("lock session gone", "POST", "/v1/locks/a", "{\"session\":1}", 404, "SESSION_NOT_FOUND"),
                bad("lock session unknown", "POST", "/v1/locks/a", "{\"session\":987654321,\"wait\":\"5s\"}", 404,
                        "SESSION_NOT_FOUND"),
                bad("lock body over the limit", "POST", "/v1/locks/a", hugeJson, 413, "TOO_LARGE"),
                bad("release without session", "DELETE", "/v1/locks/a", null, 400, "INVALID_ARGUMENT"),
                bad("release session not a number", "DELETE", "/v1/locks/a?session=x", null, 400, "INVALID_ARGUMENT"),
                bad("release bad key", "DELETE", "/v1/locks/a/../b?session=1", null, 400, "INVALID_ARGUMENT"),
                bad("release unknown session", "DELETE", "/v1/locks/a?session=987654321", null, 404, "SESSION_NOT_FOUND"),
                bad("lock inspect bad key", "GET", "/v1/locks/a%20b", null, 400, "INVALID_ARGUMENT"),
                bad("lock inspect bad consistency", "GET", "/v1/locks/a?consistency=x", null, 400, "INVALID_ARGUMENT"),
                bad("check token not a number", "GET", "/v1/locks/a/check?token=abc", null, 400, "INVALID_ARGUMENT"),
                bad("check token zero", "GET", "/v1/locks/a/check?token=0", null, 400, "INVALID_ARGUMENT"),
                bad("check token twice", "GET", "/v1/locks/a/check?token=1&token=2", null, 400, "INVALID_ARGUMENT"),
                bad("check bad key", "GET", "/v1/locks/a%00/check?token=1", null, 400, "INVALID_ARGUMENT"),
                bad("check stale token", "GET", "/v1/locks/a/check?token=1", null, 409, "FENCED"),
                bad("watch wait not a duration", "GET", "/v1/watch/a?wait=soon", null, 400, "INVALID_ARGUMENT"),
                bad("watch wait over the maximum", "GET", "/v1/watch/a?wait=6m", null, 400, "INVALID_ARGUMENT"),
                bad("watch index not a number", "GET", "/v1/watch/a?index=x&wait=0s", null, 400, "INVALID_ARGUMENT"),
                bad("watch index negative", "GET", "/v1/watch/a?index=-1&wait=0s", null, 400, "INVALID_ARGUMENT"),
                bad("watch index twice", "GET", "/v1/watch/a?index=1&index=2&wait=0s", null, 400, "INVALID_ARGUMENT"),
                bad("watch bad prefix", "GET", "/v1/watch/a%20b?wait=0s", null, 400, "INVALID_ARGUMENT"),
                bad("watch stream bad Last-Event-ID", "GET", "/v1/watch/a", null, 400, "INVALID_ARGUMENT",
                        "Accept", "text/event-stream", "Last-Event-ID", "x"),
                bad("add member malformed JSON", "POST", "/v1/cluster/members", "{x", 400, "INVALID_ARGUMENT"),
                bad("add member JSON not an object", "POST", "/v1/cluster/members", "[\"n2\"]", 400, "INVALID_ARGUMENT"),
                bad("add member empty body", "POST", "/v1/cluster/members", "", 400, "INVALID_ARGUMENT"),
                bad("add member unknown field", "POST", "/v1/cluster/members",
                        "{\"id\":\"n2\",\"raftAddr\":\"127.0.0.1:7102\",\"voter\":true}", 400, "INVALID_ARGUMENT"),
                bad("add member without address", "POST", "/v1/cluster/members", "{\"id\":\"n2\"}", 400, "INVALID_ARGUMENT"),
                bad("add member id wrong type", "POST", "/v1/cluster/members",
                        "{\"id\":2,\"raftAddr\":\"127.0.0.1:7102\"}", 400, "INVALID_ARGUMENT"),
                bad("add member address wrong type", "POST", "/v1/cluster/members",
                        "{\"id\":\"n2\",\"raftAddr\":7102}", 400, "INVALID_ARGUMENT"),
                bad("add member bad id", "POST", "/v1/cluster/members",
                        "{\"id\":\"../n2\",\"raftAddr\":\"127.0.0.1:7102\"}", 400, "INVALID_ARGUMENT"),
                bad("add member empty id", "POST", "/v1/cluster/members",
                        "{\"id\":\"\",\"raftAddr\":\"127.0.0.1:7102\"}", 400, "INVALID_ARGUMENT"),
                bad("add member address without port", "POST", "/v1/cluster/members",
                        "{\"id\":\"n2\",\"raftAddr\":\"127.0.0.1\"}", 400, "INVALID_ARGUMENT"),
                bad("add member address port 0", "POST", "/v1/cluster/members",
                        "{\"id\":\"n2\",\"raftAddr\":\"127.0.0.1:0\"}", 400, "INVALID_ARGUMENT"),
                bad("add member address port too big", "POST", "/v1/cluster/members",
                        "{\"id\":\"n2\",\"raftAddr\":\"127.0.0.1:70000\"}", 400, "INVALID_ARGUMENT"),
                bad("add member address with a space", "POST", "/v1/cluster/members",
                        "{\"id\":\"n2\",\"raftAddr\":\"my host:7102\"}", 400, "INVALID_ARGUMENT"),
                bad("add existing member", "POST", "/v1/cluster/members",
                        "{\"id\":\"n1\",\"raftAddr\":\"127.0.0.1:7102\"}", 409, "MEMBER_EXISTS"),
                bad("add member body over the limit", "POST", "/v1/cluster/members", hugeJson, 413, "TOO_LARGE"),
                bad("remove unknown member", "DELETE", "/v1/cluster/members/n9", null, 404, "NOT_FOUND"),
                bad("remove bad id", "DELETE", "/v1/cluster/members/n%2F9", null, 400, "INVALID_ARGUMENT"),
                bad("remove the last voter", "DELETE", "/v1/cluster/members/n1", null, 400, "INVALID_ARGUMENT"),
                bad("transfer malformed JSON", "POST", "/v1/cluster/leader", "{\"to\":", 400, "INVALID_ARGUMENT"),
                bad("transfer unknown field", "POST", "/v1/cluster/leader", "{\"to\":\"n1\",\"now\":true}", 400,
                        "INVALID_ARGUMENT"),
                bad("transfer without target", "POST", "/v1/cluster/leader", "{}", 400, "INVALID_ARGUMENT"),
                bad("transfer target wrong type", "POST", "/v1/cluster/leader", "{\"to\":[\"n1\"]}", 400,
                        "INVALID_ARGUMENT"),
                bad("transfer bad id", "POST", "/v1/cluster/leader", "{\"to\":\"n 1\"}", 400, "INVALID_ARGUMENT"),
                bad("transfer to unknown member", "POST", "/v1/cluster/leader", "{\"to\":\"n9\"}", 404, "NOT_FOUND"),
                bad("huge header", "PUT", "/v1/kv/exists", "v", 431, "TOO_LARGE", "X-Padding", "p".repeat(16 * 1024)));
    }

    private static Arguments bad(String name, String method, String path, String body, int status, String code,
                                 String... headers) {
        return Arguments.of(name, method, path, body, status, code, headers);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedBeforeAnythingIsProposed(String name, String method, String path, String body, int status, String code,
                                           String[] headers) {
        long commitBefore = api.commitIndex();

        Api.Answer answer = api.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.errorCode()).as(answer.toString()).isEqualTo(code);
        assertThat(answer.json().path("error").path("message").asText()).isNotBlank();
        if (answer.status() != 431) {
            // The HTTP decoder refuses huge headers before the router, which stamps the header, sees them.
            assertThat(answer.header("X-Quorum-Index")).isNotNull();
        }
        assertThat(api.commitIndex()).as("nothing was proposed").isEqualTo(commitBefore);
        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.get("/v1/kv/exists").text()).isEqualTo("v");
    }
}
