package io.quorum.raft.protocol;

import java.util.Arrays;

/**
 * One record of the replicated log.
 *
 * <p>{@code data} is owned by the log once the entry is created: callers never mutate it. The
 * record compares its payload by content so that logs can be compared in tests and invariant
 * checks.
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    /** Fixed per-entry overhead counted against append size limits (term, index, type, length). */
    public static final int HEADER_BYTES = 8 + 8 + 1 + 4;

    public Entry {
        if (term < 1) {
            throw new IllegalArgumentException("term must be >= 1: " + term);
        }
        if (index < 1) {
            throw new IllegalArgumentException("index must be >= 1: " + index);
        }
        if (type == null || data == null) {
            throw new IllegalArgumentException("type and data are required");
        }
    }

    /** Bytes this entry counts for when batching appends. */
    public long sizeBytes() {
        return HEADER_BYTES + data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entry e
                && e.term == term
                && e.index == index
                && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Long.hashCode(term) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return term + "/" + index + " " + type + " " + data.length + "B";
    }
}
