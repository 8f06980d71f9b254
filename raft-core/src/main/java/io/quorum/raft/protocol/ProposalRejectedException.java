package io.quorum.raft.protocol;

/**
 * A proposal, read or administrative request this node cannot take now. Nothing was appended:
 * the caller may retry, at {@link #leaderHint()} when known.
 */
public final class ProposalRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** This node is not the leader; see the hint. */
        NOT_LEADER,
        /** No leader is known (an election is under way). */
        NO_LEADER,
        /** Leadership is being transferred; proposals resume under the new leader. */
        TRANSFERRING_LEADERSHIP,
        /** A configuration change is still uncommitted, or the leader has not yet committed an entry of its term. */
        CONFIG_CHANGE_NOT_ALLOWED,
        /** The request makes no sense for this configuration (unknown member, duplicate, last voter). */
        INVALID_REQUEST
    }

    private final Reason reason;
    private final String leaderHint;

    public ProposalRejectedException(Reason reason, String leaderHint, String message) {
        super(message);
        this.reason = reason;
        this.leaderHint = leaderHint;
    }

    public Reason reason() {
        return reason;
    }

    /** The id of the leader this node knows of, or null. */
    public String leaderHint() {
        return leaderHint;
    }
}
