package io.quorum.raft.node;

/**
 * Hands a node's callbacks to the {@link NodeMetrics} set with {@link RaftNode#setMetrics}, or to
 * {@link NodeMetrics#NONE} until then: the node's parts hold this relay from their construction,
 * and one volatile read per callback is all it costs.
 */
final class MetricsRelay implements NodeMetrics {

    private volatile NodeMetrics target = NodeMetrics.NONE;

    void setTarget(NodeMetrics metrics) {
        target = metrics == null ? NodeMetrics.NONE : metrics;
    }

    @Override
    public void fsyncCompleted(long nanos, int entries) {
        target.fsyncCompleted(nanos, entries);
    }

    @Override
    public void proposalCommitted(long latencyNanos) {
        target.proposalCommitted(latencyNanos);
    }

    @Override
    public void proposalFailed(NodeException.Kind kind) {
        target.proposalFailed(kind);
    }

    @Override
    public void snapshotTaken() {
        target.snapshotTaken();
    }
}
