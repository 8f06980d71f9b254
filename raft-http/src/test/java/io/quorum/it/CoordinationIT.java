package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorum.raft.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API end to end on three real processes, every request sent to a different node than the
 * one before, so that followers forward writes and answer linearizable reads with ReadIndex.
 */
class CoordinationIT {

    @RegisterExtension
    static final ProcessClusterExtension CLUSTER = new ProcessClusterExtension(3);

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static List<NodeProcess> nodes() {
        return CLUSTER.cluster().nodes();
    }

    private static Http leader() {
        return CLUSTER.cluster().leader().http();
    }

    private static List<Http> followers() {
        NodeProcess leader = CLUSTER.cluster().leader();
        return nodes().stream().filter(n -> n != leader).map(NodeProcess::http).toList();
    }

    @Test
    void aWriteThroughAnyNodeIsReadByEveryNode() {
        for (NodeProcess writer : nodes()) {
            String key = "/v1/kv/every/" + writer.id();
            Http.Answer put = writer.http().put(key, "from " + writer.id());
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            for (NodeProcess reader : nodes()) {
                Http.Answer read = reader.http().get(key);
                assertThat(read.status()).as(reader + ": " + read).isEqualTo(200);
                assertThat(read.text()).as("read on " + reader).isEqualTo("from " + writer.id());
                assertThat(read.header("ETag")).isEqualTo("\"" + put.json().get("version").asLong() + "\"");
            }
        }
    }

    @Test
    void aFollowerReadRightAfterAnAcknowledgedWriteSeesIt() {
        Http leader = leader();
        List<Http> followers = followers();
        for (int i = 0; i < 30; i++) {
            Http writer = i % 3 == 0 ? leader : followers.get(i % 2);
            assertThat(writer.put("/v1/kv/linear/x", "v" + i).status()).isEqualTo(200);
            for (Http follower : followers) {
                Http.Answer read = follower.get("/v1/kv/linear/x");
                assertThat(read.text()).as("linearizable read on " + follower + " after write " + i).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void compareAndSetWithIfMatchAndIfNoneMatch() {
        Http a = nodes().get(0).http();
        Http b = nodes().get(1).http();
        Http c = nodes().get(2).http();
        Http.Answer created = a.put("/v1/kv/cas/k", "1", "If-None-Match", "*");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        long version = created.json().get("version").asLong();

        Http.Answer again = b.put("/v1/kv/cas/k", "other", "If-None-Match", "*");
        assertThat(again.status()).as(again.toString()).isEqualTo(412);
        assertThat(again.errorCode()).isEqualTo("VERSION_MISMATCH");

        Http.Answer swapped = c.put("/v1/kv/cas/k", "2", "If-Match", Long.toString(version));
        assertThat(swapped.status()).as(swapped.toString()).isEqualTo(200);
        assertThat(swapped.json().get("version").asLong()).isEqualTo(version + 1);

        Http.Answer stale = a.put("/v1/kv/cas/k", "3", "If-Match", Long.toString(version));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(stale.errorCode()).isEqualTo("VERSION_MISMATCH");
        Http.Answer staleDelete = b.delete("/v1/kv/cas/k", "If-Match", Long.toString(version));
        assertThat(staleDelete.status()).as(staleDelete.toString()).isEqualTo(412);

        assertThat(c.get("/v1/kv/cas/k").text()).isEqualTo("2");
    }

    @Test
    void ephemeralKeysAreDeletedWhenTheirSessionCloses() {
        long session = openSession(nodes().get(1).http(), "30s");
        Http.Answer put = nodes().get(2).http().put("/v1/kv/eph/closed?session=" + session + "&ephemeral=true", "here");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        JsonNode meta = nodes().get(0).http().get("/v1/kv/eph/closed", "Accept", "application/json").json();
        assertThat(meta.get("ephemeralOwner").asLong()).isEqualTo(session);

        Http.Answer closed = nodes().get(0).http().delete("/v1/sessions/" + session);
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);

        for (NodeProcess node : nodes()) {
            assertThat(node.http().get("/v1/kv/eph/closed").status()).as("on " + node).isEqualTo(404);
        }
    }

    @Test
    void ephemeralKeysAreDeletedWhenTheirSessionExpires() {
        // Long enough that the put below finds the session alive on a loaded machine, short enough to wait out.
        long session = openSession(nodes().get(2).http(), "3s");
        Http.Answer put = nodes().get(0).http().put("/v1/kv/eph/expired?session=" + session + "&ephemeral=true", "here");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);

        Http reader = nodes().get(1).http();
        Await.until("the ephemeral key of an expired session is deleted", DEADLINE,
                ProcessCluster.throttled(() -> reader.get("/v1/kv/eph/expired").status() == 404));
        Http.Answer gone = reader.get("/v1/sessions/" + session);
        assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("SESSION_NOT_FOUND");
        Http.Answer late = nodes().get(2).http().post("/v1/sessions/" + session + "/keepalive", "{}");
        assertThat(late.status()).as(late.toString()).isEqualTo(404);
    }

    @Test
    void contendedLockIsGrantedInArrivalOrderWithIncreasingTokens() {
        Http a = nodes().get(0).http();
        Http b = nodes().get(1).http();
        Http c = nodes().get(2).http();
        long sa = openSession(a, "30s");
        long sb = openSession(b, "30s");
        long sc = openSession(c, "30s");
        long first = granted(acquire(a, "fifo", sa, "0s"));

        CompletableFuture<Http.Answer> second = queue(b, "fifo", sb, 1);
        CompletableFuture<Http.Answer> third = queue(c, "fifo", sc, 2);
        Http.Answer busy = acquire(a, "fifo", openSession(a, "30s"), "0s");
        assertThat(busy.status()).as(busy.toString()).isEqualTo(409);
        assertThat(busy.errorCode()).isEqualTo("LOCK_HELD");

        release(c, "fifo", sa);
        Http.Answer secondGrant = second.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(secondGrant.json().get("session").asLong()).isEqualTo(sb);
        long secondToken = granted(secondGrant);
        assertThat(secondToken).isGreaterThan(first);
        assertThat(third).as("the third waits while the second holds the lock").isNotDone();

        release(a, "fifo", sb);
        Http.Answer thirdGrant = third.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(thirdGrant.json().get("session").asLong()).isEqualTo(sc);
        assertThat(granted(thirdGrant)).isGreaterThan(secondToken);
    }

    @Test
    void aFencedWriteWithAStaleTokenIsRefused() {
        Http a = nodes().get(0).http();
        Http b = nodes().get(1).http();
        Http c = nodes().get(2).http();
        long sa = openSession(a, "30s");
        long sb = openSession(b, "30s");
        long oldToken = granted(acquire(a, "fence", sa, "0s"));
        Http.Answer held = c.put("/v1/kv/fenced/v", "by a", "X-Quorum-Fence", "fence;" + oldToken);
        assertThat(held.status()).as(held.toString()).isEqualTo(200);

        release(b, "fence", sa);
        long newToken = granted(acquire(b, "fence", sb, "0s"));
        assertThat(newToken).isGreaterThan(oldToken);

        for (NodeProcess node : nodes()) {
            Http.Answer stale = node.http().put("/v1/kv/fenced/v", "late a", "X-Quorum-Fence", "fence;" + oldToken);
            assertThat(stale.status()).as(node + ": " + stale).isEqualTo(409);
            assertThat(stale.errorCode()).isEqualTo("FENCED");
        }
        Http.Answer check = c.get("/v1/locks/fence/check?token=" + oldToken);
        assertThat(check.status()).as(check.toString()).isEqualTo(409);
        Http.Answer current = a.put("/v1/kv/fenced/v", "by b", "X-Quorum-Fence", "fence;" + newToken);
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(c.get("/v1/kv/fenced/v").text()).isEqualTo("by b");
    }

    @Test
    void aLongPollOnAFollowerGetsEveryLaterEventInOrder() {
        Http watcher = followers().get(0);
        long start = appliedIndex(watcher);
        List<String> written = List.of("poll/a", "poll/b", "poll/c", "poll/d");
        CompletableFuture<Http.Answer> parked = CompletableFuture.supplyAsync(
                () -> watcher.get("/v1/watch/poll/?index=" + start + "&wait=15s"));
        for (int i = 0; i < written.size(); i++) {
            Http writer = nodes().get(i % 3).http();
            assertThat(writer.put("/v1/kv/" + written.get(i), "v").status()).isEqualTo(200);
            assertThat(writer.put("/v1/kv/elsewhere/" + i, "v").status()).isEqualTo(200);
        }

        List<String> keys = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        JsonNode page = parked.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join().json();
        while (true) {
            page.get("events").forEach(e -> {
                keys.add(e.get("key").asText());
                indexes.add(e.get("index").asLong());
            });
            if (keys.size() >= written.size()) {
                break;
            }
            page = watcher.get("/v1/watch/poll/?index=" + page.get("index").asLong() + "&wait=10s").json();
            assertThat(page.get("events").size()).as("a later page before the wait ends").isPositive();
        }

        assertThat(keys).containsExactlyElementsOf(written);
        assertThat(indexes).isSorted().doesNotHaveDuplicates().allMatch(i -> i > start);
    }

    @Test
    void anEventStreamResumedWithLastEventIdRepeatsNothingAndSkipsNothing() throws Exception {
        Http watcher = followers().get(1);
        long start = appliedIndex(watcher);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            expected.add("sse/k" + i);
        }
        List<ServerSentEvents.Event> received = new ArrayList<>();

        try (ServerSentEvents first = ServerSentEvents.open(watcher, "/v1/watch/sse/?index=" + start)) {
            for (int i = 0; i < 5; i++) {
                assertThat(nodes().get(i % 3).http().put("/v1/kv/" + expected.get(i), "v").status()).isEqualTo(200);
            }
            received.addAll(first.readUntilKey("sse/k3", DEADLINE));
        }
        String lastEventId = received.get(received.size() - 1).id();
        assertThat(lastEventId).as("the last event read carries its index as id").isNotNull();
        for (int i = 5; i < 8; i++) {
            assertThat(nodes().get(i % 3).http().put("/v1/kv/" + expected.get(i), "v").status()).isEqualTo(200);
        }
        try (ServerSentEvents resumed = ServerSentEvents.open(nodes().get(0).http(), "/v1/watch/sse/",
                "Last-Event-ID", lastEventId)) {
            received.addAll(resumed.readUntilKey("sse/k8", DEADLINE));
        }

        assertThat(received.stream().map(ServerSentEvents.Event::key).toList()).containsExactlyElementsOf(expected);
        List<Long> ids = received.stream().map(e -> Long.parseLong(e.id())).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(i -> i > start);
    }

    static long openSession(Http node, String ttl) {
        Http.Answer opened = node.post("/v1/sessions", "{\"ttl\":\"" + ttl + "\"}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        return opened.json().get("id").asLong();
    }

    static Http.Answer acquire(Http node, String lock, long session, String wait) {
        return node.send("POST", "/v1/locks/" + lock,
                ("{\"session\":" + session + ",\"mode\":\"exclusive\",\"wait\":\"" + wait + "\"}").getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30));
    }

    static long granted(Http.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().get("token").asLong();
    }

    static void release(Http node, String lock, long session) {
        Http.Answer released = node.delete("/v1/locks/" + lock + "?session=" + session);
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        assertThat(released.json().get("released").asBoolean()).isTrue();
    }

    /** An acquire waiting up to 20s, sent in the background; returns once it is the {@code position}th waiter. */
    private static CompletableFuture<Http.Answer> queue(Http node, String lock, long session, int position) {
        CompletableFuture<Http.Answer> answer = CompletableFuture.supplyAsync(() -> acquire(node, lock, session, "20s"));
        Await.until(DEADLINE, ProcessCluster.throttled(() -> answer.isDone()
                || node.get("/v1/locks/" + lock).json().get("waiters").size() >= position), () -> session + " queued");
        assertThat(answer).as("still waiting: " + (answer.isDone() ? answer.join() : "")).isNotDone();
        return answer;
    }

    private static long appliedIndex(Http node) {
        return Long.parseLong(node.get("/health").header("X-Quorum-Index"));
    }
}
