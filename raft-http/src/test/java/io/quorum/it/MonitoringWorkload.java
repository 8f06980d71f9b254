package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quorum.client.ClientOptions;
import io.quorum.client.KeyWritten;
import io.quorum.client.LockGrant;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.client.Session;
import io.quorum.client.WriteOptions;
import io.quorum.raft.testing.Await;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Drives every kind of activity the dashboard graphs through {@link QuorumClient} over all the
 * nodes of a cluster that Prometheus scrapes: writes (some concurrent, so that appends batch),
 * reads of present and absent keys, compare-and-set with a stale version, a session with an
 * ephemeral key and one left to expire, locks held and waited for, fenced writes refused, and a
 * leadership transfer. Each step checks the API's answer, so a failure names the step.
 */
final class MonitoringWorkload {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int LOCK_ROUNDS = 3;

    /**
     * What the workload did that Prometheus must then see.
     *
     * @param leaderChangesBefore each node's leader changes counter, as Prometheus saw it before the transfer
     * @param transferredTo the node leadership was transferred to
     * @param fencedWritesRejected writes refused with FENCED
     * @param lockWaits grants that had waited in a lock's queue
     */
    record Outcome(Map<String, Double> leaderChangesBefore, String transferredTo, int fencedWritesRejected, int lockWaits) {}

    private final ProcessCluster cluster;
    private final PrometheusServer prometheus;
    private final QuorumClient client;

    MonitoringWorkload(ProcessCluster cluster, PrometheusServer prometheus) {
        this.cluster = cluster;
        this.prometheus = prometheus;
        List<URI> endpoints = cluster.nodes().stream().map(n -> URI.create("http://127.0.0.1:" + n.httpPort())).toList();
        this.client = QuorumClient.of(endpoints, ClientOptions.DEFAULTS);
    }

    Outcome run() {
        writesAndReads();
        compareAndSet();
        sessions();
        int fenced = 0;
        for (int round = 0; round < LOCK_ROUNDS; round++) {
            fenced += contendedLockAndFencedWrite(round);
        }
        Map<String, Double> before = leaderChanges();
        String target = transferLeadership();
        writesAndReads();
        return new Outcome(before, target, fenced, LOCK_ROUNDS);
    }

    private void writesAndReads() {
        for (int i = 0; i < 40; i++) {
            client.put("metrics/seq/" + i, bytes("v" + i));
        }
        List<CompletableFuture<KeyWritten>> concurrent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            concurrent.add(client.putAsync("metrics/batch/" + i, bytes("b" + i), WriteOptions.NONE));
        }
        concurrent.forEach(f -> Await.result(f, DEADLINE));
        for (int i = 0; i < 10; i++) {
            assertThat(client.get("metrics/seq/" + i)).as("read of metrics/seq/" + i).isPresent();
            assertThat(client.get("metrics/absent/" + i)).as("read of an absent key").isEmpty();
        }
    }

    private void compareAndSet() {
        KeyWritten created = client.put("metrics/cas", bytes("1"), WriteOptions.NONE.withIfNoneMatch());
        client.put("metrics/cas", bytes("2"), WriteOptions.NONE.withIfMatch(created.version()));
        QuorumException stale = catchThrowableOfType(QuorumException.class,
                () -> client.put("metrics/cas", bytes("3"), WriteOptions.NONE.withIfMatch(created.version())));
        assertThat(stale).as("a compare-and-set on a stale version").isNotNull();
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
    }

    private void sessions() {
        Session kept = client.openSession(Duration.ofSeconds(30), Duration.ZERO);
        client.put("metrics/ephemeral", bytes("here"), WriteOptions.NONE.withEphemeral(kept.id()));
        client.keepAlive(kept.id());
        // Nothing else uses it: on a loaded machine 1s may pass before a next request reaches the cluster.
        Session expiring = client.openSession(Duration.ofSeconds(1), Duration.ZERO);
        Await.until("session " + expiring.id() + " expires without keepalives", DEADLINE,
                ProcessCluster.throttled(() -> client.session(expiring.id()).isEmpty()));
        assertThat(client.get("metrics/ephemeral")).as("the live session's ephemeral key").isPresent();
    }

    /** One holder, one waiter granted on release, then a write fenced with the first grant's token. */
    private int contendedLockAndFencedWrite(int round) {
        String lock = "metrics/lock";
        long first = client.openSession(Duration.ofSeconds(30), Duration.ZERO).id();
        long second = client.openSession(Duration.ofSeconds(30), Duration.ZERO).id();
        LockGrant held = client.acquire(lock, first, false, Duration.ZERO);
        CompletableFuture<LockGrant> waiting = client.acquireAsync(lock, second, false, DEADLINE);
        Await.until("the second session waits for " + lock, DEADLINE,
                ProcessCluster.throttled(() -> client.lock(lock).waiters().size() == 1));
        if (round == 0) {
            Await.until("Prometheus sees a lock waiter", DEADLINE,
                    ProcessCluster.throttled(() -> prometheus.query("max(quorum_lock_waiters) >= 1").samples().size() == 1));
        }
        client.put("metrics/fenced", bytes("by the holder"), WriteOptions.NONE.withFence(lock, held.token()));
        assertThat(client.release(lock, first)).as("the holder releases " + lock).isTrue();
        LockGrant granted = Await.result(waiting, DEADLINE);
        assertThat(granted.session()).isEqualTo(second);
        assertThat(granted.token()).isGreaterThan(held.token());

        QuorumException fenced = catchThrowableOfType(QuorumException.class, () -> client.put("metrics/fenced",
                bytes("late"), WriteOptions.NONE.withFence(lock, held.token())));
        assertThat(fenced).as("a write fenced with the released token").isNotNull();
        assertThat(fenced.status()).as(fenced.toString()).isEqualTo(409);
        assertThat(fenced.code()).isEqualTo("FENCED");
        assertThat(client.release(lock, second)).isTrue();
        client.closeSession(first);
        client.closeSession(second);
        return 1;
    }

    /** Each node's leader changes counter as Prometheus last scraped it. */
    private Map<String, Double> leaderChanges() {
        Map<String, Double> byNode = new TreeMap<>();
        PrometheusServer.ApiAnswer answer = prometheus.query("quorum_raft_leader_changes_total");
        assertThat(answer.success()).as(answer.toString()).isTrue();
        answer.samples().forEach(s -> byNode.put(s.path("metric").path("node").asText(),
                Double.parseDouble(s.path("value").path(1).asText())));
        assertThat(byNode.keySet()).as("nodes with a leader changes counter")
                .containsExactlyInAnyOrderElementsOf(cluster.nodes().stream().map(NodeProcess::id).toList());
        return byNode;
    }

    /** {@code POST /v1/cluster/leader} to a follower, sent to the other follower; waits until every node follows it. */
    private String transferLeadership() {
        NodeProcess leader = cluster.leader();
        List<NodeProcess> followers = cluster.nodes().stream().filter(n -> n != leader).toList();
        NodeProcess target = followers.get(0);
        Http.Answer moved = followers.get(1).http().post("/v1/cluster/leader", "{\"to\":\"" + target.id() + "\"}");
        assertThat(moved.status()).as("transfer to " + target.id() + ": " + moved).isEqualTo(200);
        Await.until(DEADLINE, ProcessCluster.throttled(() -> cluster.currentLeader().filter(n -> n == target).isPresent()),
                () -> "every node follows " + target.id() + " after the transfer");
        return target.id();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
