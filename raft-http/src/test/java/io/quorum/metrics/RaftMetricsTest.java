package io.quorum.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorum.raft.node.NodeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Raft node's meters: names, units, labels, and what counts as a leader change. */
class RaftMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RaftMetrics metrics = new RaftMetrics(registry);

    private double leaderChanges() {
        return registry.get("quorum.raft.leader.changes").counter().count();
    }

    @Test
    void aLeaderChangeIsANewTermsLeaderOrAnotherLeader() {
        metrics.leadershipChanged(null, 1);
        assertThat(leaderChanges()).isZero();
        metrics.leadershipChanged("n1", 1);
        metrics.leadershipChanged("n1", 1); // this node's role changed, not the leader
        assertThat(leaderChanges()).isEqualTo(1);
        metrics.leadershipChanged(null, 2);
        metrics.leadershipChanged("n1", 2); // re-elected in a new term
        metrics.leadershipChanged("n2", 2);
        assertThat(leaderChanges()).isEqualTo(3);
    }

    @Test
    void everyProposalOutcomeHasItsSeriesFromTheStart() {
        assertThat(registry.get("quorum.raft.proposals").counters()).hasSize(NodeException.Kind.values().length + 1);
        metrics.proposalCommitted(TimeUnit.MICROSECONDS.toNanos(300));
        metrics.proposalFailed(NodeException.Kind.NO_LEADER);
        assertThat(registry.get("quorum.raft.proposals").tag("result", "committed").counter().count()).isEqualTo(1);
        assertThat(registry.get("quorum.raft.proposals").tag("result", "no_leader").counter().count()).isEqualTo(1);
        assertThat(registry.get("quorum.raft.proposals").tag("result", "timeout").counter().count()).isZero();
        assertThat(registry.get("quorum.raft.commit.latency").timer().totalTime(TimeUnit.MICROSECONDS)).isEqualTo(300);
    }

    @Test
    void aWriteOfTheHardStateAloneIsAnFsyncButNoBatch() {
        metrics.fsyncCompleted(TimeUnit.MICROSECONDS.toNanos(80), 0);
        metrics.fsyncCompleted(TimeUnit.MICROSECONDS.toNanos(120), 7);
        assertThat(registry.get("quorum.raft.fsync").timer().count()).isEqualTo(2);
        assertThat(registry.get("quorum.raft.append.batch").summary().count()).isEqualTo(1);
        assertThat(registry.get("quorum.raft.append.batch").summary().totalAmount()).isEqualTo(7);
    }
}
