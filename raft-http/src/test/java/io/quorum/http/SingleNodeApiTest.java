package io.quorum.http;

import io.quorum.raft.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routed endpoints of API.md against a single-node cluster. */
class SingleNodeApiTest extends SingleNodeFixture {

    @Test
    void writesAndReadsRawBytesWithVersionHeaders() {
        Api.Answer written = api.put("/v1/kv/greeting", "Hello, World!");
        assertThat(written.status()).isEqualTo(200);
        JsonNode w = written.json();
        assertThat(w.get("key").asText()).isEqualTo("greeting");
        assertThat(w.get("version").asLong()).isEqualTo(1);
        assertThat(w.get("createIndex").asLong()).isEqualTo(w.get("modIndex").asLong()).isPositive();

        Api.Answer read = api.get("/v1/kv/greeting");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text()).isEqualTo("Hello, World!");
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        assertThat(read.header("X-Quorum-Version")).isEqualTo("1");
        assertThat(read.header("X-Quorum-Mod-Index")).isEqualTo(w.get("modIndex").asText());
        assertThat(Long.parseLong(read.header("X-Quorum-Index"))).isGreaterThanOrEqualTo(w.get("modIndex").asLong());
        assertThat(read.header("X-Quorum-Leader")).isEqualTo("n1");

        assertThat(api.put("/v1/kv/greeting", "again").json().get("version").asLong()).isEqualTo(2);
        assertThat(api.get("/v1/kv/greeting?consistency=stale").text()).isEqualTo("again");
    }

    @Test
    void readsMetadataAsJson() {
        api.put("/v1/kv/meta/text", "héllo");
        JsonNode k = api.get("/v1/kv/meta/text", "Accept", "application/json").json();
        assertThat(k.get("key").asText()).isEqualTo("meta/text");
        assertThat(k.get("value").asText()).isEqualTo("héllo");
        assertThat(k.get("valueBase64").asText()).isEqualTo("aMOpbGxv");
        assertThat(k.get("version").asLong()).isEqualTo(1);
        assertThat(k.get("ephemeralOwner").isNull()).isTrue();
        assertThat(k.get("lock").isNull()).isTrue();

        api.send("PUT", "/v1/kv/meta/binary", new byte[] {(byte) 0xff, 0});
        JsonNode b = api.get("/v1/kv/meta/binary", "Accept", "application/json").json();
        assertThat(b.get("value").isNull()).isTrue();
        assertThat(b.get("valueBase64").asText()).isEqualTo("/wA=");
    }

    @Test
    void compareAndSetAndCreateOnlyAnswer412WhenTheyDoNotHold() {
        assertThat(api.put("/v1/kv/cas", "a", "If-None-Match", "*").status()).isEqualTo(200);
        Api.Answer again = api.put("/v1/kv/cas", "b", "If-None-Match", "*");
        assertThat(again.status()).isEqualTo(412);
        assertThat(again.errorCode()).isEqualTo("VERSION_MISMATCH");

        assertThat(api.put("/v1/kv/cas", "c", "If-Match", "1").json().get("version").asLong()).isEqualTo(2);
        Api.Answer stale = api.put("/v1/kv/cas", "d", "If-Match", "\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.errorCode()).isEqualTo("VERSION_MISMATCH");
        assertThat(api.get("/v1/kv/cas").text()).isEqualTo("c");

        assertThat(api.delete("/v1/kv/cas", "If-Match", "1").status()).isEqualTo(412);
        JsonNode deleted = api.delete("/v1/kv/cas", "If-Match", "2").json();
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("index").asLong()).isPositive();
        assertThat(api.delete("/v1/kv/cas").json().get("deleted").asBoolean()).isFalse();
        Api.Answer gone = api.get("/v1/kv/cas");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void listsUnderAPrefixWithDelimiterAndPages() {
        for (String key : List.of("ls/a", "ls/b", "ls/c/x", "ls/c/y", "ls/d", "lsx")) {
            api.put("/v1/kv/" + key, key);
        }
        JsonNode all = api.get("/v1/kv/ls/?list").json();
        assertThat(keys(all)).containsExactly("ls/a", "ls/b", "ls/c/x", "ls/c/y", "ls/d");
        assertThat(all.get("more").asBoolean()).isFalse();
        assertThat(all.get("items").get(0).get("size").asInt()).isEqualTo(4);

        assertThat(keys(api.get("/v1/kv/ls/?list&delimiter=/").json())).containsExactly("ls/a", "ls/b", "ls/c/", "ls/d");

        JsonNode first = api.get("/v1/kv/ls/?list&limit=2").json();
        assertThat(keys(first)).containsExactly("ls/a", "ls/b");
        assertThat(first.get("more").asBoolean()).isTrue();
        JsonNode second = api.get("/v1/kv/ls/?list&limit=2&after=ls/b").json();
        assertThat(keys(second)).containsExactly("ls/c/x", "ls/c/y");

        assertThat(keys(api.get("/v1/kv/?list").json())).contains("ls/a", "lsx");
    }

    private static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("items").forEach(item -> keys.add(item.get("key").asText()));
        return keys;
    }

    @Test
    void sessionsOpenRenewListAndCloseDeletingTheirEphemeralKeys() {
        Api.Answer opened = api.post("/v1/sessions", "{\"ttl\":\"1m\",\"lockDelay\":\"2s\"}");
        assertThat(opened.status()).isEqualTo(201);
        long id = opened.json().get("id").asLong();
        assertThat(opened.json().get("ttl").asText()).isEqualTo("1m");
        assertThat(opened.json().get("lockDelay").asText()).isEqualTo("2s");

        Api.Answer ephemeral = api.put("/v1/kv/members/one?session=" + id + "&ephemeral=true", "here");
        assertThat(ephemeral.status()).isEqualTo(200);
        assertThat(api.get("/v1/kv/members/one", "Accept", "application/json").json().get("ephemeralOwner").asLong())
                .isEqualTo(id);

        JsonNode session = api.get("/v1/sessions/" + id).json();
        assertThat(session.get("ephemeralKeys").get(0).asText()).isEqualTo("members/one");
        assertThat(session.get("expiresInMs").asLong()).isBetween(1L, 60_000L);
        assertThat(api.get("/v1/sessions").json().get("sessions").findValuesAsText("id")).contains(Long.toString(id));

        JsonNode renewed = api.post("/v1/sessions/" + id + "/keepalive", null).json();
        assertThat(renewed.get("id").asLong()).isEqualTo(id);
        assertThat(renewed.get("expiresInMs").asLong()).isEqualTo(60_000);

        assertThat(api.delete("/v1/sessions/" + id).status()).isEqualTo(200);
        assertThat(api.get("/v1/kv/members/one").status()).isEqualTo(404);
        Api.Answer closedAgain = api.delete("/v1/sessions/" + id);
        assertThat(closedAgain.status()).isEqualTo(404);
        assertThat(closedAgain.errorCode()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(api.get("/v1/sessions/" + id).errorCode()).isEqualTo("SESSION_NOT_FOUND");
    }

    @Test
    void aSessionWithoutKeepalivesExpiresAndTakesItsEphemeralKeys() {
        long id = api.post("/v1/sessions", "{\"ttl\":1000}").json().get("id").asLong();
        assertThat(api.put("/v1/kv/expiring/one?ephemeral=true&session=" + id, "x").status()).isEqualTo(200);
        long opened = System.nanoTime();

        // The leader's due-work timer proposes the expiry once cluster time passes the deadline.
        Await.until("the session to expire", Duration.ofSeconds(10),
                () -> api.get("/v1/sessions/" + id).status() == 404);
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(api.get("/v1/kv/expiring/one").status()).isEqualTo(404);
        assertThat(api.post("/v1/sessions/" + id + "/keepalive", null).errorCode()).isEqualTo("SESSION_NOT_FOUND");
    }

    @Test
    void sessionWithoutBodyGetsTheDefaultTtl() {
        JsonNode opened = api.post("/v1/sessions", null).json();
        assertThat(opened.get("ttl").asText()).isEqualTo("15s");
        assertThat(opened.get("lockDelay").asText()).isEqualTo("0s");
        assertThat(api.delete("/v1/sessions/" + opened.get("id").asLong()).status()).isEqualTo(200);
    }

    @Test
    void aFencedWriteWithoutTheLockIsRefused() {
        Api.Answer fenced = api.put("/v1/kv/fenced", "v", "X-Quorum-Fence", "locks/main;7");
        assertThat(fenced.status()).isEqualTo(409);
        assertThat(fenced.errorCode()).isEqualTo("FENCED");
        assertThat(api.get("/v1/kv/fenced").status()).isEqualTo(404);
    }

    @Test
    void clusterHealthAndReadiness() {
        JsonNode c = api.get("/v1/cluster").json();
        assertThat(c.get("id").asText()).isEqualTo("n1");
        assertThat(c.get("leader").asText()).isEqualTo("n1");
        assertThat(c.get("term").asLong()).isPositive();
        assertThat(c.get("appliedIndex").asLong()).isPositive();
        JsonNode member = c.get("members").get(0);
        assertThat(member.get("role").asText()).isEqualTo("leader");
        assertThat(member.get("voter").asBoolean()).isTrue();
        assertThat(member.get("raftAddr").asText()).startsWith("127.0.0.1:");

        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.get("/ready").status()).isEqualTo(200);
    }

    @Test
    void unroutedPathsAndMethodsAnswerJsonErrors() {
        Api.Answer unknown = api.get("/v1/nothing/here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(unknown.header("X-Quorum-Index")).isNotNull();
        Api.Answer method = api.send("PATCH", "/v1/kv/a", new byte[0]);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }
}
