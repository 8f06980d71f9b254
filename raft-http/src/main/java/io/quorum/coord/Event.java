package io.quorum.coord;

/**
 * One change, as a watch reports it: {@code {"index","type","key","version","session","token"}}.
 *
 * <p>{@code index} is the Raft index of the entry that made the change; one entry can make several
 * (closing a session deletes keys and releases locks, which grants them to waiters). {@code key}
 * is the key or lock key, and "" for {@code session-expired}. Fields that do not apply are 0:
 * {@code version} is set for puts, {@code session} for ephemeral puts, lock events and expiries,
 * {@code token} for lock and unlock.
 */
public record Event(long index, EventType type, String key, long version, long session, long token) {}
