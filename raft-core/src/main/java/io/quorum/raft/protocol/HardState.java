package io.quorum.raft.protocol;

/**
 * The state that must be durable before a node answers anyone: its current term, whom it voted
 * for in that term (null for nobody), and the highest index it knows to be committed.
 */
public record HardState(long term, String votedFor, long commit) {

    public static final HardState EMPTY = new HardState(0, null, 0);

    public HardState {
        if (term < 0 || commit < 0) {
            throw new IllegalArgumentException("term and commit must be >= 0");
        }
    }
}
