package io.quorum.raft.node;

import io.quorum.raft.testing.Await;
import io.quorum.raft.protocol.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static io.quorum.raft.node.TcpCluster.FAST_TICK;
import static org.assertj.core.api.Assertions.assertThat;

/** Membership changes and leadership transfer on three loopback TCP nodes with DurableStorage, 10 ms ticks. */
@Timeout(60)
class RaftNodeMembershipTest {

    @TempDir
    Path dataDirs;

    private TcpCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster() {
        cluster = new TcpCluster(dataDirs, 3, config -> config.withTick(FAST_TICK).withSnapshotEvery(500));
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(5));
    }

    @Test
    void aMemberIsAddedAndAnotherRemovedUnderLoad() {
        startCluster();
        Load load = new Load(cluster, 100, Long.MAX_VALUE);
        try (load) {
            load.awaitAcked(300, Duration.ofSeconds(20));

            cluster.join("n4");
            onLeader(leader -> leader.addMember("n4", cluster.address("n4")));
            // The leader promotes the learner by itself once it has caught up.
            Await.until(Duration.ofSeconds(15), () -> cluster.leader() != null
                            && cluster.leader().status().membership().isVoter("n4"),
                    () -> "n4 was not promoted: " + cluster.leader().status().membership());
            load.awaitAcked(load.acked().size() + 300L, Duration.ofSeconds(20));

            String removed = cluster.liveIds().stream().filter(id -> !id.equals("n4"))
                    .filter(id -> cluster.node(id).status().role() != Role.LEADER).findFirst().orElseThrow();
            onLeader(leader -> leader.removeMember(removed));
            Await.until(Duration.ofSeconds(10), () -> cluster.leader() != null
                            && !cluster.leader().status().membership().contains(removed),
                    () -> removed + " is still a member");
            cluster.stop(removed);
            load.awaitAcked(load.acked().size() + 300L, Duration.ofSeconds(20));
        }
        var applied = cluster.awaitConverged(Duration.ofSeconds(15));
        assertThat(applied).containsKey("n4").hasSize(3);
        RaftNodeClusterTest.assertSameOrderHoldingEveryAcknowledged(applied, load);
    }

    @Test
    void leadershipMovesToTheChosenFollower() {
        startCluster();
        RaftNode<Long> leader = cluster.leader();
        String target = cluster.liveIds().stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
        Await.result(leader.transferLeadership(target), Duration.ofSeconds(10));

        Await.until(Duration.ofSeconds(5), () -> cluster.node(target).status().role() == Role.LEADER,
                () -> target + " does not lead: " + cluster.statusLine());
        assertThat(Await.result(cluster.node(target).propose(CounterStateMachine.command(7)), Duration.ofSeconds(5))).isEqualTo(7);
        assertThat(Await.result(leader.propose(CounterStateMachine.command(5)), Duration.ofSeconds(5))).isEqualTo(12);
    }

    /** Runs an admin call on the leader, again on the next leader when leadership moved meanwhile. */
    private <T> T onLeader(Function<RaftNode<Long>, CompletableFuture<T>> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            RaftNode<Long> leader = cluster.leader();
            try {
                if (leader != null) {
                    return call.apply(leader).get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                boolean retrySafe = e.getCause() instanceof NodeException n && n.kind().isRetrySafe()
                        && n.kind() != NodeException.Kind.INVALID;
                if (!retrySafe || System.nanoTime() > deadline) {
                    throw new AssertionError("admin call failed: " + e, e);
                }
            }
            // Give leadership a moment to settle before asking again.
            Await.within(Duration.ofMillis(50), () -> cluster.leader() != null && cluster.leader() != leader);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader took the admin call: " + cluster.statusLine());
            }
        }
    }
}
