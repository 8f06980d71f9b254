package io.quorum.coord;

/** How a lock is held. The code is the stable value in the log and in snapshots. */
public enum LockMode {
    /** One holder at a time. */
    EXCLUSIVE(0),
    /** Any number of shared holders together, never alongside an exclusive one. */
    SHARED(1);

    private final int code;

    LockMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The API spelling: {@code exclusive} or {@code shared}. */
    public String apiName() {
        return this == EXCLUSIVE ? "exclusive" : "shared";
    }

    static LockMode fromCode(int code) {
        for (LockMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new MalformedPayloadException("unknown lock mode code " + code);
    }
}
