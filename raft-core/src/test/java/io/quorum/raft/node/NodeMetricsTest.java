package io.quorum.raft.node;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.storage.MemoryStorage;
import io.quorum.raft.testing.Await;
import io.quorum.raft.transport.LocalNetwork;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a node reports to its {@link NodeMetrics}: fsyncs with their batches, proposal outcomes, snapshots. */
class NodeMetricsTest {

    /** Counts every callback. */
    private static final class Recorded implements NodeMetrics {
        final AtomicLong fsyncs = new AtomicLong();
        final AtomicLong fsyncNanos = new AtomicLong();
        final AtomicLong entriesWritten = new AtomicLong();
        final AtomicLong committed = new AtomicLong();
        final AtomicLong latencyNanos = new AtomicLong();
        final Map<NodeException.Kind, AtomicLong> failed = new ConcurrentHashMap<>();
        final AtomicLong snapshots = new AtomicLong();

        @Override
        public void fsyncCompleted(long nanos, int entries) {
            fsyncs.incrementAndGet();
            fsyncNanos.addAndGet(nanos);
            entriesWritten.addAndGet(entries);
        }

        @Override
        public void proposalCommitted(long nanos) {
            committed.incrementAndGet();
            latencyNanos.addAndGet(nanos);
        }

        @Override
        public void proposalFailed(NodeException.Kind kind) {
            failed.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void snapshotTaken() {
            snapshots.incrementAndGet();
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final LocalNetwork network = new LocalNetwork(vertx);
    private final Recorded recorded = new Recorded();
    private RaftNode<Long> node;

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
        vertx.close().await();
    }

    private void startSingleNode(long snapshotEvery) {
        RaftNodeConfig config = RaftNodeConfig.defaults("n1", Membership.ofVoters(Map.of("n1", "local:1")))
                .withTick(Duration.ofMillis(25)).withSnapshotEvery(snapshotEvery);
        node = new RaftNode<>(config, new MemoryStorage(), new CounterStateMachine(),
                inbound -> network.transport("n1", inbound), System::currentTimeMillis);
        node.setMetrics(recorded);
        Await.result(node.start(), Duration.ofSeconds(10));
        Await.until(Duration.ofSeconds(10), () -> node.status().role() == Role.LEADER, () -> "n1 leads");
    }

    @Test
    void committedProposalsFsyncsAndSnapshotsAreReported() {
        startSingleNode(5);
        for (int i = 1; i <= 12; i++) {
            assertThat(Await.result(node.propose(CounterStateMachine.command(i)), Duration.ofSeconds(10))).isPositive();
        }
        assertThat(recorded.committed).hasValue(12);
        assertThat(recorded.latencyNanos.get()).isPositive();
        assertThat(recorded.failed).isEmpty();
        // Every entry (the 12 commands and the leader's no-op) was made durable by a reported write.
        assertThat(recorded.entriesWritten.get()).isGreaterThanOrEqualTo(13);
        assertThat(recorded.fsyncs.get()).isPositive();
        assertThat(recorded.fsyncNanos.get()).isPositive();
        Await.until(Duration.ofSeconds(10), () -> recorded.snapshots.get() >= 2, () -> "two snapshots saved");
    }

    @Test
    void aProposalToAStoppedNodeIsReportedAsStopped() {
        startSingleNode(10_000);
        node.close();
        assertThatThrownBy(() -> node.propose(CounterStateMachine.command(1)).join())
                .hasCauseInstanceOf(NodeException.class);
        assertThat(recorded.failed.get(NodeException.Kind.STOPPED)).hasValue(1);
        assertThat(recorded.committed).hasValue(0);
    }
}
