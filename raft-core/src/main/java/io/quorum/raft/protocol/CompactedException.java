package io.quorum.raft.protocol;

/** Thrown by {@link RaftStorage} when asked for an index that has been folded into a snapshot. */
public final class CompactedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CompactedException(long index, long firstIndex) {
        super("index " + index + " is compacted; the log starts at " + firstIndex);
    }
}
