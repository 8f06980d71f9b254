package io.quorum.raft.transport;

import java.util.Locale;

/**
 * Why an inbound frame was dropped before the node saw it. Each is a {@code reason} of the
 * {@code quorum_raft_frames_rejected_total} metric, as {@link #label()}.
 */
public enum FrameRejection {
    /** Bytes that are not a frame of this codec (garbage, a forged length, an unknown version): the connection is closed. */
    MALFORMED,
    /** A sender or receiver id that is null or empty. */
    MISSING_ID,
    /** Addressed to another node id: a peer that still has this address for a node that moved. */
    MISADDRESSED,
    /** On a TLS connection, a sender id that the connection's certificate does not name. */
    IDENTITY_MISMATCH,
    /** A sender that is neither a member of the configuration this node knows nor a node being added. */
    NOT_A_MEMBER,
    /** A term below 0 or above {@link io.quorum.raft.protocol.MessageCheck#MAX_TERM}, where {@code term + 1} could overflow. */
    TERM_OVERFLOW,
    /** A number no log can have: a negative index, entries that do not follow on, a term from the future. */
    INVALID;

    /** The metric label: the name in lower case, {@code not_a_member}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
