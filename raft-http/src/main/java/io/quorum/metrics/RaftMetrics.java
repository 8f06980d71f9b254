package io.quorum.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quorum.raft.node.NodeException;
import io.quorum.raft.node.NodeMetrics;
import io.quorum.raft.node.RaftNode;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.transport.FrameRejection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The Raft node's metrics ({@code quorum_raft_*}): what {@link RaftNode} reports as its
 * {@link NodeMetrics}, leader changes from its leadership listener, and gauges of its latest
 * {@link RaftStatus} (a volatile read).
 *
 * <p>{@code quorum_raft_proposals_total{result}} counts proposals made on this node by outcome:
 * {@code committed}, or the failure's {@link NodeException.Kind} in lower case ({@code no_leader},
 * {@code overloaded}, {@code not_committed}, {@code invalid}, {@code timeout}, {@code stopped}).
 * Every series exists from the start, at 0. A leader change is counted each time this node learns
 * of a leader in a new term, or of another leader.
 */
public final class RaftMetrics implements NodeMetrics {

    private final Counter committed;
    private final Map<NodeException.Kind, Counter> failed = new EnumMap<>(NodeException.Kind.class);
    private final Timer commitLatency;
    private final Timer fsync;
    private final DistributionSummary appendBatch;
    private final Counter snapshots;
    private final Counter leaderChanges;

    // The protocol thread's, in leadershipChanged.
    private String lastLeader;
    private long lastLeaderTerm;

    RaftMetrics(MeterRegistry registry) {
        committed = proposals(registry, "committed");
        for (NodeException.Kind kind : NodeException.Kind.values()) {
            failed.put(kind, proposals(registry, kind.name().toLowerCase(Locale.ROOT)));
        }
        commitLatency = Timer.builder("quorum.raft.commit.latency")
                .description("Time from a proposal on this node to its application here")
                .serviceLevelObjectives(Buckets.COMMIT)
                .register(registry);
        fsync = Timer.builder("quorum.raft.fsync")
                .description("Duration of one durable write of the Raft log or hard state, fsyncs included")
                .serviceLevelObjectives(Buckets.FSYNC)
                .register(registry);
        appendBatch = DistributionSummary.builder("quorum.raft.append.batch")
                .baseUnit("entries")
                .description("Log entries made durable by one write (group commit)")
                .serviceLevelObjectives(Buckets.BATCH)
                .register(registry);
        snapshots = Counter.builder("quorum.raft.snapshots")
                .description("State machine snapshots taken and saved, compacting the log")
                .register(registry);
        leaderChanges = Counter.builder("quorum.raft.leader.changes")
                .description("Leaders this node learned of: a new term's leader, or another member")
                .register(registry);
    }

    private static Counter proposals(MeterRegistry registry, String result) {
        return Counter.builder("quorum.raft.proposals")
                .description("Proposals made on this node, by outcome")
                .tag("result", result)
                .register(registry);
    }

    /** Reports {@code node}'s work here from now on, and registers the gauges of its status. */
    void bind(RaftNode<?> node, MeterRegistry registry) {
        node.setMetrics(this);
        node.addListener((leaderId, term, isSelf) -> leadershipChanged(leaderId, term));
        gauge(registry, "quorum.raft.term", "The current term", node, n -> status(n, RaftStatus::term));
        gauge(registry, "quorum.raft.commit.index", "The highest log index known committed", node,
                n -> status(n, RaftStatus::commitIndex));
        gauge(registry, "quorum.raft.applied.index", "The highest log index applied to the state machine", node,
                n -> (double) n.appliedIndex());
        gauge(registry, "quorum.raft.is.leader", "1 while this node is the leader, else 0", node,
                n -> status(n, s -> s.role() == Role.LEADER ? 1 : 0));
        for (FrameRejection reason : FrameRejection.values()) {
            FunctionCounter.builder("quorum.raft.frames.rejected", node, n -> n.transportStats().rejected(reason))
                    .description("Inbound peer frames dropped before the node saw them, by reason; "
                            + "malformed ones also closed their connection")
                    .tag("reason", reason.label())
                    .register(registry);
        }
        FunctionCounter.builder("quorum.raft.peer.handshakes.failed", node, n -> n.transportStats().handshakeFailures())
                .description("Inbound peer connections refused in the TLS handshake: no certificate, "
                        + "one from another CA, or not TLS at all")
                .register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, RaftNode<?> node,
                              ToDoubleFunction<RaftNode<?>> value) {
        Gauge.builder(name, node, value).description(description).strongReference(true).register(registry);
    }

    private static double status(RaftNode<?> node, ToDoubleFunction<RaftStatus> field) {
        RaftStatus status = node.status();
        return status == null ? 0 : field.applyAsDouble(status);
    }

    void leadershipChanged(String leaderId, long term) {
        if (leaderId != null && (term != lastLeaderTerm || !Objects.equals(leaderId, lastLeader))) {
            lastLeader = leaderId;
            lastLeaderTerm = term;
            leaderChanges.increment();
        }
    }

    @Override
    public void fsyncCompleted(long nanos, int entries) {
        fsync.record(nanos, TimeUnit.NANOSECONDS);
        if (entries > 0) {
            appendBatch.record(entries);
        }
    }

    @Override
    public void proposalCommitted(long latencyNanos) {
        committed.increment();
        commitLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void proposalFailed(NodeException.Kind kind) {
        failed.get(kind).increment();
    }

    @Override
    public void snapshotTaken() {
        snapshots.increment();
    }
}
