package io.quorum.coord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One lock: its holders in grant order, its FIFO queue of requests, and the lockDelay an expired
 * holder left behind. This class owns the granting rule; {@link LockCommands} keeps sessions and
 * events in step with it.
 *
 * <p>The rule: a request is granted when no lockDelay is running, nobody queued before it, and it
 * is compatible with the holders (no holders, or shared with shared). Queued requests are granted
 * strictly in arrival order: shared requests at the head are granted together, an exclusive one
 * waits for every holder to leave, and a shared request behind a queued exclusive one waits too,
 * even while shared holders could admit it, so an exclusive request is never starved.
 *
 * <p>Invariant after every command: when no lockDelay is running, the head of the queue is not
 * grantable (else {@link #promote} would have granted it).
 */
final class LockState {

    final String key;
    /** Mode of the current holders; null when there are none. */
    LockMode mode;
    /** session → fencing token, in grant order. */
    final LinkedHashMap<Long, Long> holders = new LinkedHashMap<>();
    /** session → its queued request, in arrival order. */
    final LinkedHashMap<Long, LockView.Waiter> waiters = new LinkedHashMap<>();
    /** Cluster time at which the lockDelay left by an expired holder ends; 0 for none. */
    long delayUntil;

    LockState(String key) {
        this.key = key;
    }

    boolean delayedAt(long now) {
        return delayUntil > now;
    }

    boolean compatibleWith(LockMode requested) {
        return holders.isEmpty() || (requested == LockMode.SHARED && mode == LockMode.SHARED);
    }

    /** Whether a new request could be granted at once, ahead of nobody. */
    boolean grantableNow(LockMode requested, long now) {
        return !delayedAt(now) && waiters.isEmpty() && compatibleWith(requested);
    }

    void grant(long session, LockMode requested, long token) {
        holders.put(session, token);
        mode = requested;
    }

    /** Removes a holder; true when it held the lock. */
    boolean removeHolder(long session) {
        boolean held = holders.remove(session) != null;
        if (holders.isEmpty()) {
            mode = null;
        }
        return held;
    }

    /**
     * Grants queued requests from the head of the queue, in order, with fencing token {@code
     * token} (the index of the entry being applied), unless a lockDelay is still running at
     * {@code now}; a passed lockDelay is forgotten. Returns the requests granted.
     */
    List<LockView.Waiter> promote(long now, long token) {
        List<LockView.Waiter> granted = new ArrayList<>();
        if (delayedAt(now)) {
            return granted;
        }
        delayUntil = 0;
        while (!waiters.isEmpty()) {
            Map.Entry<Long, LockView.Waiter> head = waiters.entrySet().iterator().next();
            LockView.Waiter w = head.getValue();
            if (!compatibleWith(w.mode())) {
                break;
            }
            waiters.remove(head.getKey());
            grant(w.session(), w.mode(), token);
            granted.add(w);
            if (w.mode() == LockMode.EXCLUSIVE) {
                break;
            }
        }
        return granted;
    }

    /** 0-based place of the session's request in the queue, or -1. */
    int positionOf(long session) {
        int position = 0;
        for (long s : waiters.keySet()) {
            if (s == session) {
                return position;
            }
            position++;
        }
        return -1;
    }

    /** Nothing left to remember: the lock can be dropped from the table. */
    boolean idle() {
        return holders.isEmpty() && waiters.isEmpty() && delayUntil == 0;
    }

    boolean heldWithToken(long token) {
        return holders.containsValue(token);
    }

    List<LockView.Holder> holderViews() {
        List<LockView.Holder> out = new ArrayList<>(holders.size());
        holders.forEach((session, token) -> out.add(new LockView.Holder(session, token)));
        return out;
    }

    LockView view() {
        return new LockView(key, mode, holderViews(), new ArrayList<>(waiters.values()), delayUntil);
    }
}
