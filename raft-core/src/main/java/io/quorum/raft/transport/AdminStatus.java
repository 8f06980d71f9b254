package io.quorum.raft.transport;

/**
 * How a leader answered a {@link PeerMessage.ForwardAdmin}: done, or why not. The values mirror
 * the node's failure kinds, so that the forwarding node fails its caller exactly as the leader's
 * own caller would have failed. The code is the stable on-wire value: codes are never reused or
 * renumbered, new outcomes take new codes.
 */
public enum AdminStatus {
    /** Done: a member change committed, or leadership moved to the target. */
    DONE(0),
    /** The receiver does not lead (any more); nothing was proposed. */
    NO_LEADER(1),
    /** Another change is still uncommitted, or the leader has not committed in its term yet; nothing was proposed. */
    CHANGE_IN_PROGRESS(2),
    /** The change was appended but replaced by another leader's entry. */
    NOT_COMMITTED(3),
    /** The request does not fit the configuration (unknown member, existing id, not a voter). */
    INVALID(4),
    /** The outcome is unknown: the change may still commit, or the transfer may still happen. */
    TIMEOUT(5),
    /** The leader is shutting down; the outcome is unknown. */
    STOPPED(6);

    private static final AdminStatus[] BY_CODE = values();

    private final byte code;

    AdminStatus(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /**
     * @throws IllegalArgumentException for a code no outcome carries
     */
    public static AdminStatus fromCode(byte code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code].code != code) {
            throw new IllegalArgumentException("unknown admin status code " + code);
        }
        return BY_CODE[code];
    }
}
