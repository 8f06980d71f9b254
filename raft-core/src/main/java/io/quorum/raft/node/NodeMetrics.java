package io.quorum.raft.node;

/**
 * What a {@link RaftNode} tells an observer about its work, for metrics. The node calls these from
 * its protocol, storage and apply threads, in the middle of its hot paths: an implementation must
 * return at once, without locks or I/O (counters and histograms only). {@link #NONE} ignores
 * everything; raft-http's {@code io.quorum.metrics} records into Micrometer, so that raft-core
 * needs no metrics library.
 */
public interface NodeMetrics {

    /** Ignores every callback; the default of a node that is given no observer. */
    NodeMetrics NONE = new NodeMetrics() {};

    /**
     * On the storage thread: one durable write finished (a Ready's snapshot, entries and hard
     * state, or a deferred commit index), {@code nanos} including its fsyncs; {@code entries} is
     * the number of log entries it appended, 0 for a write of the hard state alone.
     */
    default void fsyncCompleted(long nanos, int entries) {}

    /** A proposal made on this node was applied here, {@code latencyNanos} after {@link RaftNode#propose}. */
    default void proposalCommitted(long latencyNanos) {}

    /** A proposal made on this node failed with {@code kind}. */
    default void proposalFailed(NodeException.Kind kind) {}

    /** On the storage thread: a snapshot the state machine took was saved and the log compacted. */
    default void snapshotTaken() {}
}
