package io.quorum.coord;

/**
 * The limits of the state machine. They decide results, so every replica of a cluster must use
 * the same values (they come from the server's flags, which a cluster shares).
 *
 * @param maxValueBytes largest value a put may write ({@code --max-value-bytes}, 256 KiB by default)
 * @param maxSessions open sessions at most; another open fails with OVERLOADED
 * @param maxWaitersPerLock queued requests per lock at most; another fails with OVERLOADED
 * @param eventHistorySize events kept for watches; older ones are COMPACTED
 */
public record CoordConfig(int maxValueBytes, int maxSessions, int maxWaitersPerLock, int eventHistorySize) {

    /** API.md: session ttl is 1s to 1h. */
    public static final long MIN_TTL_MILLIS = 1_000;
    public static final long MAX_TTL_MILLIS = 3_600_000;
    /** Like Consul's cap; a longer lockDelay would keep a lock out of reach for too long after a crash. */
    public static final long MAX_LOCK_DELAY_MILLIS = 60_000;
    /** The longest a lock request may wait in the queue. */
    public static final long MAX_WAIT_MILLIS = 3_600_000;

    public static final CoordConfig DEFAULTS = new CoordConfig(256 * 1024, 100_000, 1_000, 10_000);

    public CoordConfig {
        positive(maxValueBytes, "maxValueBytes");
        positive(maxSessions, "maxSessions");
        positive(maxWaitersPerLock, "maxWaitersPerLock");
        positive(eventHistorySize, "eventHistorySize");
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1: " + value);
        }
    }
}
