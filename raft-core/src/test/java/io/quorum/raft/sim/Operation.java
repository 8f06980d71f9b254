package io.quorum.raft.sim;

/**
 * One client operation on one register, as a linearizability checker sees it. Times are positions
 * on one logical clock shared by every invocation and completion in the run.
 *
 * <p>A register holds a value and a version: the number of writes it has taken (0 before the first).
 * A read may report the version it saw; a compare-and-set writes only when the version is the one
 * it expects, and its outcome is a write at that point.
 *
 * @param kind     read, write, or compare-and-set (one that took effect, or whose outcome is unknown)
 * @param value    for a write or compare-and-set the value written (unique per write); for a read
 *                 the value returned ({@link #NONE} when the register was never written)
 * @param version  for a read the version it returned, or {@link #ANY} when it reports none; for a
 *                 compare-and-set the version it expected; {@link #ANY} for a write
 * @param complete the time the client learned the outcome, or {@link #UNKNOWN} when it never did
 *                 (a write that may or may not have taken effect)
 */
public record Operation(int id, String client, String key, Kind kind, String value, long version, long invoke,
                        long complete) {

    /** What an operation does to the register. */
    public enum Kind { READ, WRITE, CAS }

    public static final long UNKNOWN = Long.MAX_VALUE;
    public static final String NONE = "";
    public static final long ANY = -1;

    /** A plain read or write, without versions. */
    public Operation(int id, String client, String key, boolean write, String value, long invoke, long complete) {
        this(id, client, key, write ? Kind.WRITE : Kind.READ, value, ANY, invoke, complete);
    }

    /** Whether the operation changes the register (a write or compare-and-set). */
    public boolean write() {
        return kind != Kind.READ;
    }

    public boolean completed() {
        return complete != UNKNOWN;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case READ -> "read ";
            case WRITE -> "write ";
            case CAS -> "cas(v" + version + ") ";
        };
        String seen = kind == Kind.READ && version != ANY ? " v" + version : "";
        return "#" + id + " " + client + " " + what + key + "=" + (value.isEmpty() ? "(none)" : value) + seen
                + " [" + invoke + ", " + (completed() ? Long.toString(complete) : "?") + "]";
    }
}
