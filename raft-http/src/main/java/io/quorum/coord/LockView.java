package io.quorum.coord;

import java.util.List;

/**
 * A lock as {@code GET /v1/locks/{key}} shows it. {@code mode} is null when nobody holds it;
 * {@code unavailableUntil} is the cluster time at which the lockDelay left by an expired holder
 * ends, or 0.
 */
public record LockView(String key, LockMode mode, List<Holder> holders, List<Waiter> waiters, long unavailableUntil) {

    public LockView {
        holders = List.copyOf(holders);
        waiters = List.copyOf(waiters);
    }

    /** A holder in grant order. */
    public record Holder(long session, long token) {}

    /** A queued request in arrival order; {@code deadline} is in cluster time. */
    public record Waiter(long session, LockMode mode, long deadline) {}
}
