package io.quorum.raft.transport;

/**
 * What a {@link PeerMessage.ForwardAdmin} asks the leader to do. The code is the stable on-wire
 * value: codes are never reused or renumbered, new operations take new codes.
 */
public enum AdminOp {
    /** Add a member as a learner (the leader promotes it once it has caught up). */
    ADD_MEMBER(0),
    /** Remove a voter or learner. */
    REMOVE_MEMBER(1),
    /** Hand leadership to a voter. */
    TRANSFER_LEADERSHIP(2);

    private static final AdminOp[] BY_CODE = values();

    private final byte code;

    AdminOp(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /**
     * @throws IllegalArgumentException for a code no operation carries
     */
    public static AdminOp fromCode(byte code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code].code != code) {
            throw new IllegalArgumentException("unknown admin operation code " + code);
        }
        return BY_CODE[code];
    }
}
