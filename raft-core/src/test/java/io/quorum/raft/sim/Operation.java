package io.quorum.raft.sim;

/**
 * One client operation on one register, as a linearizability checker sees it. Times are positions
 * on one logical clock shared by every invocation and completion in the run.
 *
 * @param complete the time the client learned the outcome, or {@link #UNKNOWN} when it never did
 *                 (a write that may or may not have taken effect)
 * @param value    for a write the value written (unique per write); for a read the value returned
 *                 ({@link #NONE} when the register was never written)
 */
public record Operation(int id, String client, String key, boolean write, String value, long invoke, long complete) {

    public static final long UNKNOWN = Long.MAX_VALUE;
    public static final String NONE = "";

    public boolean completed() {
        return complete != UNKNOWN;
    }

    @Override
    public String toString() {
        return "#" + id + " " + client + " " + (write ? "write " : "read ") + key + "=" + (value.isEmpty() ? "(none)" : value)
                + " [" + invoke + ", " + (completed() ? Long.toString(complete) : "?") + "]";
    }
}
