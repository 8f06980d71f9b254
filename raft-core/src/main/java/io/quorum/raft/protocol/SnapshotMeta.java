package io.quorum.raft.protocol;

/**
 * What a snapshot covers: every entry up to and including {@code index} (of {@code term}), and the
 * configuration in force at that index. {@code sizeBytes} is the length of the state machine's
 * serialized state.
 */
public record SnapshotMeta(long index, long term, Membership membership, long sizeBytes) {

    public static final SnapshotMeta EMPTY = new SnapshotMeta(0, 0, Membership.EMPTY, 0);

    public SnapshotMeta {
        if (index < 0 || term < 0 || sizeBytes < 0) {
            throw new IllegalArgumentException("index, term and size must be >= 0");
        }
        if (membership == null) {
            throw new IllegalArgumentException("membership is required");
        }
    }
}
