package io.quorum.raft.node;

/**
 * Why a {@link RaftNode} request failed. {@link Kind#isRetrySafe()} tells whether the request is
 * known not to have taken effect, so that a client may retry it without risking a duplicate.
 */
public final class NodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** No leader is reachable now; nothing was appended. */
        NO_LEADER(true),
        /** Too much work queued; nothing was appended. Retry after a short pause. */
        OVERLOADED(true),
        /** The command was appended but replaced by another leader's entry: it will never apply. */
        NOT_COMMITTED(true),
        /** The request is invalid for the current cluster (unknown member, duplicate, …). */
        INVALID(true),
        /** The outcome is unknown: the command may still commit. */
        TIMEOUT(false),
        /** The node is shutting down or has stopped after a storage failure; the outcome is unknown. */
        STOPPED(false);

        private final boolean retrySafe;

        Kind(boolean retrySafe) {
            this.retrySafe = retrySafe;
        }

        public boolean isRetrySafe() {
            return retrySafe;
        }
    }

    private final Kind kind;
    private final String leaderHint;

    public NodeException(Kind kind, String message) {
        this(kind, message, null);
    }

    public NodeException(Kind kind, String message, String leaderHint) {
        super(message);
        this.kind = kind;
        this.leaderHint = leaderHint;
    }

    public Kind kind() {
        return kind;
    }

    /** The leader's id when known, or null. */
    public String leaderHint() {
        return leaderHint;
    }
}
