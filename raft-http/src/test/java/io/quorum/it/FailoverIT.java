package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three real processes losing their leader: to SIGKILL under a write load, and to SIGTERM. */
class FailoverIT {

    @RegisterExtension
    static final ProcessClusterExtension CLUSTER = new ProcessClusterExtension(3);

    private static final int CLIENTS = 6;
    private static final int WRITES_EACH_SIDE = 100;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @BeforeEach
    void everyNodeRuns() {
        CLUSTER.cluster().heal();
    }

    /**
     * Six clients write unique values through every node; the leader is killed with SIGKILL. Every
     * acknowledged write must be readable afterwards, and the killed node, restarted on its data
     * dir, catches up. Prints {@code e2e failover-ms=<n> acked=<n> lost=<n>}: the time from the
     * kill to the first acknowledged write invoked after it.
     */
    @Test
    void killingTheLeaderUnderLoadLosesNoAcknowledgedWriteAndTheRestartedNodeCatchesUp() throws Exception {
        ProcessCluster cluster = CLUSTER.cluster();
        NodeProcess leader = cluster.leader();
        long killedAt;
        WriteWorkload workload = new WriteWorkload("failover", CLIENTS, cluster::nodes);
        try (workload) {
            Await.until("writes acknowledged before the kill", DEADLINE,
                    ProcessCluster.throttled(() -> workload.acknowledged().size() >= WRITES_EACH_SIDE));
            killedAt = System.nanoTime();
            cluster.kill9(leader);
            Await.until("writes acknowledged after the leader was killed", DEADLINE,
                    ProcessCluster.throttled(() -> workload.acknowledgedAfter(killedAt) >= WRITES_EACH_SIDE));
        }

        List<WriteWorkload.Write> acknowledged = workload.acknowledged();
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(
                workload.firstAcknowledgedAfter(killedAt).orElseThrow().completeNanos() - killedAt);
        List<String> lost = lost(acknowledged, cluster.live());
        System.out.printf("e2e failover-ms=%d acked=%d lost=%d%n", failoverMs, acknowledged.size(), lost.size());
        System.out.println("e2e failover outcomes " + outcomes(workload.history()) + " (killed " + leader.id()
                + ", new leader " + cluster.leader().id() + ")");
        assertThat(lost).as("acknowledged writes missing from a linearizable read").isEmpty();

        cluster.restart(leader);
        WriteWorkload.Write last = Collections.max(acknowledged, Comparator.comparingLong(WriteWorkload.Write::completeNanos));
        Await.until(DEADLINE, ProcessCluster.throttled(() -> {
            Http.Answer read = leader.http().get("/v1/kv/" + last.key() + "?consistency=stale");
            return read.status() == 200 && read.text().equals(last.value());
        }), () -> "the restarted " + leader.id() + " serves the last acknowledged write " + last + " locally");
    }

    /** API.md, "shutdown": SIGTERM ends a node with exit 0; started again, it serves what it missed. */
    @Test
    void aNodeEndedBySigtermExitsZeroAndCatchesUpAfterARestart() {
        ProcessCluster cluster = CLUSTER.cluster();
        NodeProcess leader = cluster.leader();

        cluster.stop(leader);

        // Through the new leader: a follower may still forward to the node that just left.
        NodeProcess newLeader = cluster.leader();
        Http.Answer put = newLeader.http().put("/v1/kv/sigterm/missed", "while " + leader.id() + " was down");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        cluster.restart(leader);
        Await.until(DEADLINE, ProcessCluster.throttled(() -> {
            Http.Answer read = leader.http().get("/v1/kv/sigterm/missed?consistency=stale");
            return read.status() == 200;
        }), () -> leader.id() + " caught up after its restart");
        assertThat(leader.http().get("/v1/kv/sigterm/missed").text()).isEqualTo("while " + leader.id() + " was down");
    }

    /**
     * TESTING.md scenario 6 in small: a leader paused (SIGSTOP) until the others elect a new one
     * must not, once resumed, answer a linearizable read with the value it knew before.
     */
    @Test
    void aPausedLeaderIsReplacedAndOnceResumedServesNoStaleRead() {
        ProcessCluster cluster = CLUSTER.cluster();
        NodeProcess leader = cluster.leader();
        assertThat(leader.http().put("/v1/kv/paused/x", "before").status()).isEqualTo(200);

        cluster.pause(leader);
        NodeProcess newLeader = cluster.leader();
        Http.Answer put = newLeader.http().put("/v1/kv/paused/x", "after");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        cluster.resume(leader);

        Http.Answer read = leader.http().get("/v1/kv/paused/x");
        assertThat(read.status()).as(read.toString()).isIn(200, 503, 504);
        if (read.status() == 200) {
            assertThat(read.text()).as("a linearizable read on the resumed old leader").isEqualTo("after");
        }
        cluster.awaitReady(leader);
        assertThat(leader.http().get("/v1/kv/paused/x").text()).isEqualTo("after");
    }

    /** The acknowledged writes that a linearizable read through {@code nodes} does not show, described. */
    private static List<String> lost(List<WriteWorkload.Write> acknowledged, List<NodeProcess> nodes) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<String>> checks = new ArrayList<>();
            for (int i = 0; i < acknowledged.size(); i++) {
                WriteWorkload.Write write = acknowledged.get(i);
                Http reader = nodes.get(i % nodes.size()).http();
                checks.add(readers.submit(() -> {
                    Http.Answer read = reader.get("/v1/kv/" + write.key());
                    return read.status() == 200 && read.text().equals(write.value()) ? null
                            : write + " read on " + reader + ": " + read;
                }));
            }
            List<String> lost = new ArrayList<>();
            for (Future<String> check : checks) {
                String missing = check.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                if (missing != null) {
                    lost.add(missing);
                }
            }
            return lost;
        } finally {
            readers.shutdownNow();
        }
    }

    private static Map<String, Long> outcomes(List<WriteWorkload.Write> history) {
        return history.stream().collect(Collectors.groupingBy(w -> w.outcome() + "/" + w.detail(), Collectors.counting()));
    }
}
