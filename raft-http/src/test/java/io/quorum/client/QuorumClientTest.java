package io.quorum.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorum.http.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every method of {@link QuorumClient} against a real single-node cluster, and how API errors come back. */
class QuorumClientTest {

    @TempDir
    static Path data;
    static TestCluster cluster;
    static QuorumClient client;

    @BeforeAll
    static void startNode() throws Exception {
        cluster = TestCluster.start(1, data);
        client = QuorumClient.of(cluster.endpoint(0));
    }

    @AfterAll
    static void stopNode() {
        cluster.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetDeleteRawBytes() {
        byte[] binary = {0, (byte) 0xff, 10, 13, (byte) 0x80};
        KeyWritten first = client.put("c/raw", binary);
        assertThat(first.key()).isEqualTo("c/raw");
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.createIndex()).isEqualTo(first.modIndex()).isPositive();

        KeyValue read = client.get("c/raw").orElseThrow();
        assertThat(read.value()).containsExactly(binary);
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.modIndex()).isEqualTo(first.modIndex());

        KeyWritten second = client.put("c/raw", bytes("two"));
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.modIndex()).isGreaterThan(first.modIndex());
        assertThat(client.get("c/raw", true).orElseThrow().text()).isEqualTo("two");

        KeyDeleted deleted = client.delete("c/raw");
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.index()).isGreaterThan(second.modIndex());
        assertThat(client.get("c/raw")).isEmpty();
        assertThat(client.delete("c/raw").deleted()).isFalse();
    }

    @Test
    void conditionalWritesAndTheirRefusals() {
        client.put("c/cas", bytes("a"), WriteOptions.NONE.withIfNoneMatch());
        QuorumException exists = catchQuorum(() -> client.put("c/cas", bytes("b"), WriteOptions.NONE.withIfNoneMatch()));
        assertThat(exists.status()).isEqualTo(412);
        assertThat(exists.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(exists.notApplied()).isTrue();

        assertThat(client.put("c/cas", bytes("b"), WriteOptions.NONE.withIfMatch(1)).version()).isEqualTo(2);
        assertThat(catchQuorum(() -> client.put("c/cas", bytes("c"), WriteOptions.NONE.withIfMatch(1))).code())
                .isEqualTo("VERSION_MISMATCH");
        assertThat(catchQuorum(() -> client.delete("c/cas", WriteOptions.NONE.withIfMatch(7))).status()).isEqualTo(412);
        assertThat(client.delete("c/cas", WriteOptions.NONE.withIfMatch(2)).deleted()).isTrue();
    }

    @Test
    void badInputComesBackAsInvalidArgumentNotApplied() {
        QuorumException badKey = catchQuorum(() -> client.put("a/../b", bytes("x")));
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(badKey.notApplied()).isTrue();
        assertThat(badKey.getMessage()).isNotBlank();

        assertThat(catchQuorum(() -> client.put("bad key", bytes("x"))).code()).isEqualTo("INVALID_ARGUMENT");
        QuorumException tooLarge = catchQuorum(() -> client.put("c/big", new byte[TestCluster.MAX_VALUE_BYTES + 1]));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.code()).isEqualTo("TOO_LARGE");
        assertThat(catchQuorum(() -> client.openSession(Duration.ofMillis(10), Duration.ZERO)).status()).isEqualTo(400);
        assertThat(client.get("c/big")).isEmpty();
    }

    @Test
    void listsPagesAndLevels() {
        for (String k : List.of("l/a", "l/b", "l/c/d", "l/c/e", "l/f")) {
            client.put(k, bytes(k));
        }
        KeyList page = client.list("l/", false, 2, null);
        assertThat(page.items()).extracting(KeyList.Item::key).containsExactly("l/a", "l/b");
        assertThat(page.more()).isTrue();
        assertThat(page.items().get(0).size()).isEqualTo(3);
        KeyList next = client.list("l/", false, 2, "l/b");
        assertThat(next.items()).extracting(KeyList.Item::key).containsExactly("l/c/d", "l/c/e");

        assertThat(client.list("l/", true, 0, null).items()).extracting(KeyList.Item::key)
                .containsExactly("l/a", "l/b", "l/c/", "l/f");
        assertThat(client.listAll("l/", false)).extracting(KeyList.Item::key)
                .containsExactly("l/a", "l/b", "l/c/d", "l/c/e", "l/f");
        assertThat(client.listAll("l/", false, 2)).extracting(KeyList.Item::key)
                .containsExactly("l/a", "l/b", "l/c/d", "l/c/e", "l/f");
    }

    @Test
    void sessionsOpenKeepAliveCarryEphemeralKeysAndClose() {
        Session session = client.openSession(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(session.ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(session.lockDelay()).isEqualTo(Duration.ofSeconds(1));

        SessionRenewal renewed = client.keepAlive(session.id());
        assertThat(renewed.id()).isEqualTo(session.id());
        assertThat(renewed.expiresIn()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));

        client.put("c/member", bytes("here"), WriteOptions.NONE.withEphemeral(session.id()));
        SessionInfo info = client.session(session.id()).orElseThrow();
        assertThat(info.ephemeralKeys()).containsExactly("c/member");
        assertThat(info.ttl()).isEqualTo(Duration.ofSeconds(10));

        client.closeSession(session.id());
        assertThat(client.get("c/member")).isEmpty();
        assertThat(client.session(session.id())).isEmpty();
        QuorumException gone = catchQuorum(() -> client.keepAlive(session.id()));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(catchQuorum(() -> client.put("c/x", bytes("x"), WriteOptions.NONE.withEphemeral(session.id()))).code())
                .isEqualTo("SESSION_NOT_FOUND");
    }

    @Test
    void locksGrantFenceAndRelease() {
        Session holder = client.openSession(Duration.ofSeconds(30), Duration.ZERO);
        Session other = client.openSession(Duration.ofSeconds(30), Duration.ZERO);
        LockGrant grant = client.acquire("c/lock", holder.id(), false, Duration.ZERO);
        assertThat(grant.mode()).isEqualTo("exclusive");
        assertThat(grant.session()).isEqualTo(holder.id());
        assertThat(client.acquire("c/lock", holder.id(), false, Duration.ZERO).token()).isEqualTo(grant.token());

        LockInfo info = client.lock("c/lock");
        assertThat(info.holders()).containsExactly(new LockInfo.Holder(holder.id(), grant.token()));
        assertThat(client.checkToken("c/lock", grant.token())).isTrue();
        assertThat(client.put("c/fenced", bytes("1"), WriteOptions.NONE.withFence("c/lock", grant.token())).version())
                .isEqualTo(1);

        QuorumException held = catchQuorum(() -> client.acquire("c/lock", other.id(), false, Duration.ofMillis(200)));
        assertThat(held.status()).isEqualTo(409);
        assertThat(held.code()).isEqualTo("LOCK_HELD");
        assertThat(held.notApplied()).isTrue();

        assertThat(client.release("c/lock", holder.id())).isTrue();
        assertThat(client.release("c/lock", holder.id())).isFalse();
        assertThat(client.lock("c/lock").held()).isFalse();
        assertThat(client.checkToken("c/lock", grant.token())).isFalse();
        QuorumException fenced = catchQuorum(() -> client.put("c/fenced", bytes("2"),
                WriteOptions.NONE.withFence("c/lock", grant.token())));
        assertThat(fenced.code()).isEqualTo("FENCED");

        LockGrant shared1 = client.acquire("c/shared", holder.id(), true, Duration.ZERO);
        LockGrant shared2 = client.acquire("c/shared", other.id(), true, Duration.ZERO);
        assertThat(shared1.mode()).isEqualTo("shared");
        assertThat(client.lock("c/shared").holders()).hasSize(2);
        assertThat(shared2.token()).isNotEqualTo(shared1.token());
        client.closeSession(holder.id());
        client.closeSession(other.id());
        assertThat(client.lock("c/shared").held()).isFalse();
    }

    @Test
    void aWaitingAcquireIsGrantedWhenTheHolderReleases() {
        Session holder = client.openSession(Duration.ofSeconds(30), Duration.ZERO);
        Session waiter = client.openSession(Duration.ofSeconds(30), Duration.ZERO);
        LockGrant first = client.acquire("c/queue", holder.id(), false, Duration.ZERO);
        CompletableFuture<LockGrant> waiting = client.acquireAsync("c/queue", waiter.id(), false, Duration.ofSeconds(20));
        io.quorum.raft.testing.Await.until("the waiter to be queued", Duration.ofSeconds(10),
                () -> !client.lock("c/queue").waiters().isEmpty());
        assertThat(waiting).isNotDone();
        client.release("c/queue", holder.id());
        LockGrant second = io.quorum.raft.testing.Await.result(waiting, Duration.ofSeconds(10));
        assertThat(second.session()).isEqualTo(waiter.id());
        assertThat(second.token()).isGreaterThan(first.token());
        client.closeSession(holder.id());
        client.closeSession(waiter.id());
    }

    @Test
    void watchesLongPollFromAnIndex() {
        long start = client.put("w/a", bytes("1")).modIndex();
        CompletableFuture<WatchPage> poll = client.watchAsync("w/", start, Duration.ofSeconds(20));
        KeyWritten next = client.put("w/b", bytes("2"));
        WatchPage page = io.quorum.raft.testing.Await.result(poll, Duration.ofSeconds(10));
        assertThat(page.events()).extracting(WatchPage.Event::key, WatchPage.Event::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("w/b", "put"));
        assertThat(page.events().get(0).index()).isEqualTo(next.modIndex());

        WatchPage history = client.watch("w/", start - 1, Duration.ZERO);
        assertThat(history.events()).extracting(WatchPage.Event::key).startsWith("w/a");
        assertThat(client.watch("w/", next.modIndex(), Duration.ofMillis(100)).events()).isEmpty();
    }

    @Test
    void clusterStatusHealthAndReadiness() {
        ClusterStatus status = client.cluster();
        assertThat(status.id()).isEqualTo("n1");
        assertThat(status.leader()).isEqualTo("n1");
        assertThat(status.term()).isPositive();
        assertThat(status.appliedIndex()).isPositive().isLessThanOrEqualTo(status.commitIndex());
        assertThat(status.members()).singleElement().satisfies(m -> {
            assertThat(m.role()).isEqualTo("leader");
            assertThat(m.voter()).isTrue();
            assertThat(m.httpAddr()).isNotNull();
        });
        assertThat(client.health()).isTrue();
        assertThat(client.ready()).isTrue();
    }

    @Test
    void asyncCallsRunConcurrently() {
        List<CompletableFuture<KeyWritten>> puts = IntStream.range(0, 50)
                .mapToObj(i -> client.putAsync("async/" + i, bytes("v" + i), WriteOptions.NONE)).toList();
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        assertThat(client.listAll("async/", false)).hasSize(50);
        assertThat(client.getAsync("async/7", false).join().orElseThrow().text()).isEqualTo("v7");
        assertThat(client.deleteAsync("async/7", WriteOptions.NONE).join().deleted()).isTrue();
    }

    @Test
    void sessionKeeperKeepsASessionPastItsTtlAndClosesIt() {
        Session session = client.openSession(Duration.ofSeconds(2), Duration.ZERO);
        long started = System.nanoTime();
        try (SessionKeeper keeper = SessionKeeper.start(client, session)) {
            io.quorum.raft.testing.Await.until("two ttls to pass with the session alive", Duration.ofSeconds(15), () -> {
                assertThat(client.session(session.id())).as("session kept alive").isPresent();
                return System.nanoTime() - started > Duration.ofSeconds(4).toNanos();
            });
            assertThat(keeper.lost()).isNotDone();
        }
        assertThat(client.session(session.id())).isEmpty();
    }

    @Test
    void sessionKeeperReportsASessionEndedBehindItsBack() {
        Session session = client.openSession(Duration.ofSeconds(3), Duration.ZERO);
        try (SessionKeeper keeper = SessionKeeper.start(client, session)) {
            client.closeSession(session.id());
            String reason = io.quorum.raft.testing.Await.result(keeper.lost(), Duration.ofSeconds(10));
            assertThat(reason).contains(Long.toString(session.id()));
        }
    }

    @Test
    void endpointsParse() {
        assertThat(QuorumClient.parseEndpoints("http://127.0.0.1:7001, 127.0.0.1:7002"))
                .extracting(Object::toString).containsExactly("http://127.0.0.1:7001", "http://127.0.0.1:7002");
        assertThatThrownBy(() -> QuorumClient.parseEndpoints(" , ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuorumClient.parseEndpoints("ftp://x:1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DurationText.parse("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> DurationText.parse("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    static QuorumException catchQuorum(Runnable call) {
        try {
            call.run();
        } catch (QuorumException e) {
            return e;
        }
        throw new AssertionError("expected a QuorumException");
    }
}
