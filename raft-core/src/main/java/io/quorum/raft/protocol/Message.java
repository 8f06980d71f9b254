package io.quorum.raft.protocol;

import java.util.List;

/**
 * The messages Raft nodes exchange. Every message names its sender, its receiver and the
 * sender's term; the receiver's shared term check ({@link Raft#step}) looks at nothing else
 * before handing the message to the role's handler.
 */
public sealed interface Message {

    String from();

    String to();

    long term();

    /**
     * A request for a vote (§5.2) or, with {@code preVote}, for a promise to vote in
     * {@code term} without anyone changing term yet (thesis §9.6). {@code leadershipTransfer}
     * marks a campaign started by {@link TimeoutNow}, which voters grant even while they still
     * hear from a leader.
     */
    record VoteRequest(String from, String to, long term, long lastLogIndex, long lastLogTerm,
                       boolean preVote, boolean leadershipTransfer) implements Message {
    }

    record VoteResponse(String from, String to, long term, boolean granted, boolean preVote) implements Message {
    }

    /**
     * Log replication (§5.3). The receiver accepts only when its log holds {@code prevLogIndex}
     * with {@code prevLogTerm}.
     */
    record AppendEntries(String from, String to, long term, long prevLogIndex, long prevLogTerm,
                         List<Entry> entries, long leaderCommit) implements Message {
        public AppendEntries {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The answer to {@link AppendEntries}. On success {@code matchIndex} is the last index the
     * follower now durably shares with the leader. On rejection {@code hintIndex}/{@code hintTerm}
     * point the leader at the latest entry that may match, so it skips a whole term of conflicting
     * entries in one round trip instead of one entry at a time.
     */
    record AppendResponse(String from, String to, long term, boolean success, long matchIndex,
                          long rejectedIndex, long hintIndex, long hintTerm) implements Message {
    }

    /**
     * Leader liveness and commit propagation. {@code commit} never exceeds what the follower is
     * known to hold. {@code readContext} (0 for none) ties the round to pending ReadIndex requests.
     */
    record Heartbeat(String from, String to, long term, long commit, long readContext) implements Message {
    }

    record HeartbeatResponse(String from, String to, long term, long readContext) implements Message {
    }

    /** One chunk of the leader's snapshot (§7), sent to a follower behind the compacted log. */
    record InstallSnapshot(String from, String to, long term, SnapshotMeta meta, long offset, byte[] chunk,
                           boolean last) implements Message {
    }

    /**
     * The answer to {@link InstallSnapshot}: the offset the follower expects next, or with
     * {@code installed} that the whole snapshot is durable and the follower's log now ends at
     * {@code snapshotIndex}.
     */
    record InstallSnapshotResponse(String from, String to, long term, long snapshotIndex, long nextOffset,
                                   boolean installed) implements Message {
    }

    /** Leadership transfer (thesis §3.10): the receiver starts an election at once. */
    record TimeoutNow(String from, String to, long term) implements Message {
    }

    /** A follower asking the leader for a read index on behalf of a local read (thesis §6.4). */
    record ReadIndexRequest(String from, String to, long term, long requestId) implements Message {
    }

    /** The leader's answer to {@link ReadIndexRequest}; {@code accepted} false means retry elsewhere. */
    record ReadIndexResponse(String from, String to, long term, long requestId, long readIndex,
                             boolean accepted) implements Message {
    }
}
