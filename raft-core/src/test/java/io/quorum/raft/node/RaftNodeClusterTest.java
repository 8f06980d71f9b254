package io.quorum.raft.node;

import io.quorum.raft.testing.Await;
import io.quorum.raft.protocol.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.quorum.raft.node.TcpCluster.FAST_TICK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes in this JVM on loopback TCP with DurableStorage (fsync on): election, replication of
 * many proposals from every node, a killed leader, and restarts that catch up by log or snapshot.
 */
@Timeout(60)
class RaftNodeClusterTest {

    /** Two election timeouts at the default timing: the timeout is drawn from [500, 1000) ms. */
    private static final Duration TWO_ELECTION_TIMEOUTS = Duration.ofMillis(2 * 1000);

    @TempDir
    Path dataDirs;

    private TcpCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private TcpCluster cluster(UnaryOperator<RaftNodeConfig> tuning) {
        cluster = new TcpCluster(dataDirs, 3, tuning);
        return cluster;
    }

    @Test
    void aLeaderWithinTwoSecondsThenTenThousandProposalsFromEveryNodeApplyInOneOrder() {
        cluster(UnaryOperator.identity()).startAll();
        long started = System.nanoTime();
        cluster.awaitLeader(Duration.ofSeconds(2));
        long electedMillis = (System.nanoTime() - started) / 1_000_000;

        try (Load load = new Load(cluster, 1_000, 10_000)) {
            load.awaitDone(Duration.ofSeconds(40));
            assertThat(load.unknown()).as("outcomes unknown").isZero();
            assertThat(load.acked()).hasSize(10_000);
        }
        Map<String, List<Long>> applied = cluster.awaitConverged(Duration.ofSeconds(10));
        long commit = cluster.leader().status().commitIndex();
        for (RaftNode<Long> node : cluster.live()) {
            assertThat(Await.result(node.readBarrier(), Duration.ofSeconds(5))).isGreaterThanOrEqualTo(commit);
        }
        List<Long> order = applied.get("n1");
        assertThat(order).hasSize(10_000).doesNotHaveDuplicates();
        assertThat(applied.values()).allSatisfy(values -> assertThat(values).isEqualTo(order));
        assertThat(electedMillis).isLessThan(2_000);
    }

    @Test
    void aKilledLeaderIsReplacedWithinTwoElectionTimeoutsNothingAcknowledgedIsLostAndItCatchesUpOnRestart() {
        cluster(UnaryOperator.identity()).startAll();
        String oldLeader = cluster.awaitLeader(Duration.ofSeconds(5));
        long oldTerm = cluster.node(oldLeader).status().term();
        Load load = new Load(cluster, 200, Long.MAX_VALUE);
        try (load) {
            load.awaitAcked(500, Duration.ofSeconds(20));

            long killedAt = System.nanoTime();
            cluster.crash(oldLeader);
            Await.until(TWO_ELECTION_TIMEOUTS.plusSeconds(1), () -> newLeaderAfter(oldTerm),
                    () -> "no new leader after killing " + oldLeader + ": " + cluster.statusLine());
            long electedMillis = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(electedMillis).as("kill to new leader, ms").isLessThan(TWO_ELECTION_TIMEOUTS.toMillis());

            int ackedAtKill = load.acked().size();
            load.awaitAcked(ackedAtKill + 500L, Duration.ofSeconds(20));
        }
        Map<String, List<Long>> survivors = cluster.awaitConverged(Duration.ofSeconds(10));
        assertSameOrderHoldingEveryAcknowledged(survivors, load);

        cluster.start(oldLeader);
        Map<String, List<Long>> all = cluster.awaitConverged(Duration.ofSeconds(15));
        assertSameOrderHoldingEveryAcknowledged(all, load);
        assertThat(all).containsKey(oldLeader);
    }

    @Test
    void aNodeRestartedBehindTheCompactedLogCatchesUpBySnapshot() {
        // 1 KiB chunks: the snapshot (every value applied, 8 bytes each) takes several, while the
        // leader keeps taking newer snapshots every 50 entries.
        cluster(config -> config.withTick(FAST_TICK).withSnapshotEvery(50)
                .withRaft(config.raft().withLimits(64, 1 << 20, 1024))).startAll();
        cluster.awaitLeader(Duration.ofSeconds(5));
        Load load = new Load(cluster, 100, Long.MAX_VALUE);
        try (load) {
            load.awaitAcked(100, Duration.ofSeconds(20));
            String behind = cluster.liveIds().stream().filter(id -> cluster.node(id).status().role() != Role.LEADER)
                    .findFirst().orElseThrow();
            cluster.stop(behind);
            int ackedAtStop = load.acked().size();
            // 50-entry snapshots: a thousand entries later the leader's log starts far past the stopped node's.
            load.awaitAcked(ackedAtStop + 1_000L, Duration.ofSeconds(30));

            cluster.start(behind);
            Await.until(Duration.ofSeconds(15), () -> cluster.machine(behind).restores() >= 2,
                    () -> behind + " did not install the leader's snapshot: " + cluster.statusLine());
            int ackedAtRestart = load.acked().size();
            load.awaitAcked(ackedAtRestart + 200L, Duration.ofSeconds(20));
        }
        assertSameOrderHoldingEveryAcknowledged(cluster.awaitConverged(Duration.ofSeconds(15)), load);
    }

    @Test
    void aRestartedNodeReplayingItsOwnOldEntriesAnswersNewProposalsWithTheirOwnResults() throws Exception {
        cluster(config -> config.withTick(FAST_TICK)).startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        String via = cluster.liveIds().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        long sum = 0;
        for (int i = 1; i <= 200; i++) {
            sum = Await.result(cluster.node(via).propose(CounterStateMachine.command(i)), Duration.ofSeconds(5));
        }
        cluster.stop(via);
        // On restart the node applies its 200 old entries again, each naming it as origin with a request id.
        RaftNode<Long> restarted = cluster.start(via);
        List<java.util.concurrent.CompletableFuture<Long>> fresh = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fresh.add(restarted.propose(CounterStateMachine.command(1_000)));
        }
        for (int i = 0; i < fresh.size(); i++) {
            assertThat(Await.result(fresh.get(i), Duration.ofSeconds(10))).isEqualTo(sum + 1_000L * (i + 1));
        }
    }

    private boolean newLeaderAfter(long term) {
        RaftNode<Long> leader = cluster.leader();
        return leader != null && leader.status().term() > term;
    }

    /** Every replica applied the same sequence, each value at most once, with every acknowledged value in it. */
    static void assertSameOrderHoldingEveryAcknowledged(Map<String, List<Long>> applied, Load load) {
        List<Long> order = applied.values().iterator().next();
        assertThat(order).doesNotHaveDuplicates();
        assertThat(applied.values()).allSatisfy(values -> assertThat(values).isEqualTo(order));
        assertThat(new HashSet<>(order)).containsAll(load.acked());
    }
}
