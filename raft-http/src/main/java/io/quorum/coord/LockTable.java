package io.quorum.coord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * The locks that are held, waited for or in lockDelay, by key. A lock with none of these is
 * dropped ({@link #dropIfIdle}), so the table only holds live locks.
 */
final class LockTable {

    private final TreeMap<String, LockState> locks = new TreeMap<>();

    LockState get(String key) {
        return locks.get(key);
    }

    LockState getOrCreate(String key) {
        return locks.computeIfAbsent(key, LockState::new);
    }

    void dropIfIdle(LockState lock) {
        if (lock.idle()) {
            locks.remove(lock.key);
        }
    }

    /** In key order. */
    Collection<LockState> all() {
        return Collections.unmodifiableCollection(locks.values());
    }

    void restore(LockState lock) {
        locks.put(lock.key, lock);
    }

    /** Queued requests whose wait deadline is at or before {@code now}, by key then queue order. */
    List<WaitRef> waitsDueAt(long now) {
        List<WaitRef> due = new ArrayList<>();
        for (LockState lock : locks.values()) {
            for (LockView.Waiter w : lock.waiters.values()) {
                if (w.deadline() <= now) {
                    due.add(new WaitRef(lock.key, w.session()));
                }
            }
        }
        return due;
    }

    /** Locks whose lockDelay ends at or before {@code now}, by key. */
    List<String> delaysDueAt(long now) {
        List<String> due = new ArrayList<>();
        for (LockState lock : locks.values()) {
            if (lock.delayUntil != 0 && lock.delayUntil <= now) {
                due.add(lock.key);
            }
        }
        return due;
    }

    int heldCount() {
        int held = 0;
        for (LockState lock : locks.values()) {
            held += lock.holders.isEmpty() ? 0 : 1;
        }
        return held;
    }

    int waiterCount() {
        int waiters = 0;
        for (LockState lock : locks.values()) {
            waiters += lock.waiters.size();
        }
        return waiters;
    }
}
