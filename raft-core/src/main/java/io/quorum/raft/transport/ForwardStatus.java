package io.quorum.raft.transport;

/**
 * How a leader answered a forwarded proposal. The code is the stable on-wire value: codes are
 * never reused or renumbered, new outcomes take new codes.
 */
public enum ForwardStatus {
    /** Appended to the leader's log at the result's index and term; not yet committed. */
    ACCEPTED(0),
    /** The receiver is not the leader; the result's leaderHint names the one it knows, or is null during an election. */
    NOT_LEADER(1),
    /** The leader's proposal queue or commit-to-apply gap is past its bound (rule 8): retry later. */
    OVERLOADED(2),
    /** A leadership transfer is in progress; proposals are refused until it ends. */
    TRANSFERRING(3),
    /** The command is larger than the leader accepts. */
    TOO_LARGE(4),
    /** The leader is shutting down. */
    SHUTTING_DOWN(5),
    /** Any other refusal. */
    FAILED(6);

    private static final ForwardStatus[] BY_CODE = values();

    private final byte code;

    ForwardStatus(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /**
     * @throws IllegalArgumentException for a code no outcome carries
     */
    public static ForwardStatus fromCode(byte code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code].code != code) {
            throw new IllegalArgumentException("unknown forward status code " + code);
        }
        return BY_CODE[code];
    }
}
