package io.quorum.raft.protocol;

/**
 * Protocol settings, validated once at construction. Times are in ticks; the shell decides how
 * long a tick is (50 ms by default, giving a 500–1000 ms randomized election timeout).
 *
 * @param electionTicks        the base election timeout; each term a follower picks a timeout in
 *                             [electionTicks, 2 × electionTicks)
 * @param heartbeatTicks       the leader's heartbeat interval; must be well under electionTicks
 * @param preVote              run a pre-vote round before changing term (thesis §9.6)
 * @param checkQuorum          a leader that has not heard from a majority within an election
 *                             timeout steps down, and followers ignore vote requests while they
 *                             hear from a leader (thesis §6.2, §4.2.3)
 * @param maxInflightAppends   AppendEntries messages in flight per follower while replicating
 * @param maxAppendBytes       payload bytes per AppendEntries (at least one entry is always sent)
 * @param maxSnapshotChunkBytes bytes per InstallSnapshot chunk
 */
public record RaftConfig(
        String id,
        int electionTicks,
        int heartbeatTicks,
        boolean preVote,
        boolean checkQuorum,
        int maxInflightAppends,
        long maxAppendBytes,
        int maxSnapshotChunkBytes) {

    public RaftConfig {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id is required");
        }
        if (heartbeatTicks < 1) {
            throw new IllegalArgumentException("heartbeatTicks must be >= 1");
        }
        if (electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("electionTicks must exceed heartbeatTicks");
        }
        if (maxInflightAppends < 1) {
            throw new IllegalArgumentException("maxInflightAppends must be >= 1");
        }
        if (maxAppendBytes < 1 || maxSnapshotChunkBytes < 1) {
            throw new IllegalArgumentException("byte limits must be >= 1");
        }
    }

    /** The defaults: 10-tick election timeout, 1-tick heartbeat, pre-vote and check-quorum on. */
    public static RaftConfig defaults(String id) {
        return new RaftConfig(id, 10, 1, true, true, 64, 1 << 20, 1 << 20);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, on, checkQuorum, maxInflightAppends, maxAppendBytes, maxSnapshotChunkBytes);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, on, maxInflightAppends, maxAppendBytes, maxSnapshotChunkBytes);
    }

    public RaftConfig withLimits(int inflight, long appendBytes, int snapshotChunkBytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, inflight, appendBytes, snapshotChunkBytes);
    }
}
