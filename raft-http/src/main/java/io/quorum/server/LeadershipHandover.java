package io.quorum.server;

import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import java.util.Comparator;
import java.util.Optional;

/**
 * Who takes over when a leader shuts down cleanly. A leader that stops without a word leaves the
 * cluster without one until an election timeout passes; one that first hands leadership to its
 * most caught-up voter (as etcd does on shutdown) is replaced within a round trip.
 */
final class LeadershipHandover {

    private LeadershipHandover() {}

    /**
     * The voter, other than the leader itself, with the highest match index (the lowest id among
     * equals); empty when {@code status} is not a leader's or the leader is the only voter.
     */
    static Optional<String> successor(RaftStatus status) {
        if (status == null || status.role() != Role.LEADER) {
            return Optional.empty();
        }
        return status.membership().voters().stream()
                .filter(id -> !id.equals(status.id()))
                .max(Comparator.<String>comparingLong(id -> status.matchIndex().getOrDefault(id, 0L))
                        .thenComparing(Comparator.reverseOrder()));
    }
}
