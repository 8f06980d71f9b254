package io.quorum.it.history;

/**
 * One client operation of a {@link History}: who did what on which key, when it was invoked and
 * completed on the history's one monotonic clock (nanoseconds since the history began), and how it
 * ended.
 *
 * @param op       {@code read}, {@code write}, {@code cas}, {@code acquire}, {@code incr}, {@code release}
 *                 or {@code expired} (the client learned its session was gone)
 * @param value    the value written, or the value a read returned ({@code ""} for none)
 * @param version  a read's version (0 for none), a compare-and-set's expected version, else -1
 * @param session  the session of a lock operation, else 0
 * @param token    the fencing token of an acquire that succeeded, or the one an increment used
 * @param outcome  {@code ok}: took effect; {@code fail}: did not; {@code info}: unknown (timeout, lost connection)
 */
public record HistoryOp(int id, String client, String op, String key, String value, long version, long session, long token,
                        long invoke, long complete, Outcome outcome, String error) {

    /** How an operation ended, as Jepsen spells it. */
    public enum Outcome { ok, fail, info }

    public boolean ok() {
        return outcome == Outcome.ok;
    }
}
