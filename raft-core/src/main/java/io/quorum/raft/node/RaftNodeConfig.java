package io.quorum.raft.node;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftConfig;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of a running node, validated once.
 *
 * @param raft                 protocol settings (id, election and heartbeat ticks, limits)
 * @param tick                 how long one protocol tick lasts: 50 ms gives a 50 ms heartbeat and a
 *                             500–1000 ms randomized election timeout with the protocol defaults
 * @param bootstrap            the initial voters of a new cluster, written once into an empty data
 *                             directory; null for a node that joins an existing cluster (it learns
 *                             the configuration from the leader)
 * @param snapshotEveryEntries take a state machine snapshot and compact the log after this many
 *                             applied entries
 * @param maxPendingProposals  proposals waiting to commit (and forwarded ones waiting for the
 *                             leader) beyond which new ones are refused as overloaded
 * @param maxApplyLag          committed-but-unapplied entries beyond which proposals are refused
 * @param requestTimeout       how long a proposal or read may wait before it fails with an
 *                             unknown outcome
 * @param joinVia              raft addresses (id to host:port) of members of the existing cluster,
 *                             for a node that joins without a bootstrap: until the configuration
 *                             it receives names this node, it can answer only peers it knows an
 *                             address for (an inbound connection does not tell the peer's
 *                             listening address). Empty for the bootstrap members.
 */
public record RaftNodeConfig(
        RaftConfig raft,
        Duration tick,
        Membership bootstrap,
        long snapshotEveryEntries,
        int maxPendingProposals,
        long maxApplyLag,
        Duration requestTimeout,
        Map<String, String> joinVia) {

    public RaftNodeConfig {
        joinVia = joinVia == null ? Map.of() : Map.copyOf(joinVia);
        if (raft == null || tick == null || requestTimeout == null) {
            throw new IllegalArgumentException("raft, tick and requestTimeout are required");
        }
        if (tick.toMillis() < 1) {
            throw new IllegalArgumentException("tick must be at least 1 ms");
        }
        if (snapshotEveryEntries < 1 || maxPendingProposals < 1 || maxApplyLag < 1) {
            throw new IllegalArgumentException("snapshot interval and admission limits must be >= 1");
        }
        if (bootstrap != null && !bootstrap.isVoter(raft.id())) {
            throw new IllegalArgumentException("bootstrap voters " + bootstrap.voters() + " must include this node " + raft.id());
        }
    }

    /** Defaults: 50 ms ticks, snapshots every 10,000 entries, 10,000 pending proposals, 5 s timeout. */
    public static RaftNodeConfig defaults(String id, Membership bootstrap) {
        return new RaftNodeConfig(RaftConfig.defaults(id), Duration.ofMillis(50), bootstrap, 10_000, 10_000, 50_000,
                Duration.ofSeconds(5), Map.of());
    }

    public RaftNodeConfig withTick(Duration newTick) {
        return new RaftNodeConfig(raft, newTick, bootstrap, snapshotEveryEntries, maxPendingProposals, maxApplyLag, requestTimeout, joinVia);
    }

    public RaftNodeConfig withSnapshotEvery(long entries) {
        return new RaftNodeConfig(raft, tick, bootstrap, entries, maxPendingProposals, maxApplyLag, requestTimeout, joinVia);
    }

    public RaftNodeConfig withRequestTimeout(Duration timeout) {
        return new RaftNodeConfig(raft, tick, bootstrap, snapshotEveryEntries, maxPendingProposals, maxApplyLag, timeout, joinVia);
    }

    /** For a node that joins an existing cluster: where to reach its members until it learns the configuration. */
    public RaftNodeConfig withJoinVia(Map<String, String> members) {
        return new RaftNodeConfig(raft, tick, bootstrap, snapshotEveryEntries, maxPendingProposals, maxApplyLag, requestTimeout, members);
    }

    public RaftNodeConfig withRaft(RaftConfig newRaft) {
        return new RaftNodeConfig(newRaft, tick, bootstrap, snapshotEveryEntries, maxPendingProposals, maxApplyLag, requestTimeout, joinVia);
    }

    public RaftNodeConfig withAdmission(int pendingProposals, long applyLag) {
        return new RaftNodeConfig(raft, tick, bootstrap, snapshotEveryEntries, pendingProposals, applyLag, requestTimeout, joinVia);
    }
}
