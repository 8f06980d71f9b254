package io.quorum.raft.protocol;

/** What an entry carries. The code is the stable on-disk and on-wire value. */
public enum EntryType {
    /** An application command, handed to the state machine when committed. */
    NORMAL(0),
    /** The empty entry a new leader appends to commit its term (§8, §5.4.2). Not given to the state machine as a command. */
    NOOP(1),
    /** A {@link ConfChange}: takes effect in the log as soon as it is appended (thesis §4.1). */
    CONFIG_CHANGE(2);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static EntryType fromCode(int code) {
        for (EntryType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown entry type code " + code);
    }
}
