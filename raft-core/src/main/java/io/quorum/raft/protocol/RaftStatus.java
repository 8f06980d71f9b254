package io.quorum.raft.protocol;

import java.util.Map;

/**
 * A point-in-time view of one node for operators and tests.
 *
 * @param matchIndex per member, the highest index known to be replicated there; only a leader
 *                   knows it, so the map is empty on other roles
 */
public record RaftStatus(
        String id,
        Role role,
        long term,
        String leader,
        long commitIndex,
        long appliedIndex,
        long lastIndex,
        Membership membership,
        Map<String, Long> matchIndex) {

    public RaftStatus {
        matchIndex = Map.copyOf(matchIndex);
    }
}
