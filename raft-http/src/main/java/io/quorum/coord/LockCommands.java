package io.quorum.coord;

import io.quorum.coord.Command.Acquire;
import io.quorum.coord.Command.CancelWait;
import io.quorum.coord.Command.ClearLockDelays;
import io.quorum.coord.Command.ExpireWaits;
import io.quorum.coord.Command.Release;
import io.quorum.coord.Result.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Applies the lock commands and ends a session's part in locks. Keeps {@link LockTable} and the
 * sessions' lock sets in step and emits {@code lock} / {@code unlock} events; the granting rule
 * itself is {@link LockState}'s.
 */
final class LockCommands {

    private final LockTable locks;
    private final SessionTable sessions;
    private final CoordConfig config;

    LockCommands(LockTable locks, SessionTable sessions, CoordConfig config) {
        this.locks = locks;
        this.sessions = sessions;
        this.config = config;
    }

    Result acquire(Acquire a, ApplyContext ctx) {
        String keyProblem = KeySyntax.problem(a.key());
        if (keyProblem != null) {
            return Failure.of(ErrorCode.INVALID_ARGUMENT, keyProblem);
        }
        if (a.waitMillis() < 0 || a.waitMillis() > CoordConfig.MAX_WAIT_MILLIS) {
            return Failure.of(ErrorCode.INVALID_ARGUMENT, "wait must be 0 to " + CoordConfig.MAX_WAIT_MILLIS + " ms: " + a.waitMillis());
        }
        SessionTable.Session session = sessions.get(a.session());
        if (session == null) {
            return Failure.sessionNotFound(a.session());
        }
        LockState lock = locks.getOrCreate(a.key());
        // A lockDelay that has passed no longer blocks: grant the queue first, it came earlier.
        grantQueued(lock, ctx);
        Long heldToken = lock.holders.get(a.session());
        if (heldToken != null) {
            return lock.mode == a.mode()
                    ? new Result.LockGranted(a.key(), a.mode(), a.session(), heldToken)
                    : new Failure(ErrorCode.LOCK_HELD, "session " + a.session() + " holds " + a.key()
                            + " in " + lock.mode.apiName() + " mode; release it first", lock.holderViews());
        }
        LockView.Waiter queued = lock.waiters.get(a.session());
        if (queued != null) {
            return requeue(lock, queued, a, ctx);
        }
        if (lock.grantableNow(a.mode(), ctx.now)) {
            lock.grant(a.session(), a.mode(), ctx.index);
            session.heldLocks.add(a.key());
            ctx.emit(EventType.LOCK, a.key(), 0, a.session(), ctx.index);
            return new Result.LockGranted(a.key(), a.mode(), a.session(), ctx.index);
        }
        if (a.waitMillis() == 0) {
            Failure busy = new Failure(ErrorCode.LOCK_HELD, busyMessage(lock, ctx.now), lock.holderViews());
            locks.dropIfIdle(lock);
            return busy;
        }
        if (lock.waiters.size() >= config.maxWaitersPerLock()) {
            return Failure.of(ErrorCode.OVERLOADED, a.key() + " already has " + lock.waiters.size()
                    + " queued requests, the limit");
        }
        long deadline = ctx.now + a.waitMillis();
        lock.waiters.put(a.session(), new LockView.Waiter(a.session(), a.mode(), deadline));
        session.waitingLocks.add(a.key());
        return new Result.LockQueued(a.key(), a.mode(), a.session(), lock.waiters.size() - 1, deadline);
    }

    /** A retried acquire of a queued request keeps its place; the later of the two deadlines holds. */
    private Result requeue(LockState lock, LockView.Waiter queued, Acquire a, ApplyContext ctx) {
        if (queued.mode() != a.mode()) {
            return Failure.of(ErrorCode.INVALID_ARGUMENT, "session " + a.session() + " already waits for "
                    + a.key() + " in " + queued.mode().apiName() + " mode");
        }
        long deadline = Math.max(queued.deadline(), ctx.now + a.waitMillis());
        lock.waiters.put(a.session(), new LockView.Waiter(a.session(), a.mode(), deadline));
        return new Result.LockQueued(a.key(), a.mode(), a.session(), lock.positionOf(a.session()), deadline);
    }

    Result release(Release r, ApplyContext ctx) {
        if (sessions.get(r.session()) == null) {
            return Failure.sessionNotFound(r.session());
        }
        LockState lock = locks.get(r.key());
        boolean released = lock != null && lock.holders.containsKey(r.session());
        if (released) {
            releaseHolder(lock, r.session(), 0, ctx);
        }
        return new Result.LockReleased(released);
    }

    Result cancelWait(CancelWait c, ApplyContext ctx) {
        if (sessions.get(c.session()) == null) {
            return Failure.sessionNotFound(c.session());
        }
        return removeWaiters(List.of(new WaitRef(c.key(), c.session())), Long.MAX_VALUE, ctx);
    }

    Result expireWaits(ExpireWaits e, ApplyContext ctx) {
        return removeWaiters(e.waits(), ctx.now, ctx);
    }

    Result clearDelays(ClearLockDelays c, ApplyContext ctx) {
        List<String> cleared = new ArrayList<>();
        for (String key : c.keys()) {
            LockState lock = locks.get(key);
            if (lock != null && lock.delayUntil != 0 && !lock.delayedAt(ctx.now)) {
                cleared.add(key);
                grantQueued(lock, ctx);
                locks.dropIfIdle(lock);
            }
        }
        return new Result.LockDelaysCleared(cleared);
    }

    /**
     * Takes an ending session out of every lock: first out of every queue (so it cannot be
     * granted by its own releases), then releases what it holds. When it {@code expired}, its
     * locks stay out of reach for its lockDelay; a close is a voluntary release and leaves none.
     */
    void endSession(SessionTable.Session session, boolean expired, ApplyContext ctx) {
        withdrawWaits(List.of(session), ctx);
        long delay = expired ? session.lockDelayMillis : 0;
        for (String key : List.copyOf(session.heldLocks)) {
            releaseHolder(locks.get(key), session.id, delay, ctx);
        }
    }

    /**
     * Takes ending sessions out of every queue they wait in, all of them before any lock's queue is
     * granted, so that none of these sessions is granted what another one's leaving frees.
     */
    void withdrawWaits(List<SessionTable.Session> ending, ApplyContext ctx) {
        TreeSet<String> touched = new TreeSet<>();
        for (SessionTable.Session session : ending) {
            for (String key : session.waitingLocks) {
                locks.get(key).waiters.remove(session.id);
                touched.add(key);
            }
            session.waitingLocks.clear();
        }
        for (String key : touched) {
            LockState lock = locks.get(key);
            grantQueued(lock, ctx);
            locks.dropIfIdle(lock);
        }
    }

    /**
     * Withdraws the named requests whose deadline is at or before {@code dueBy}, every one of them
     * before any queue is granted: removing a head can let the requests behind it through, but
     * never one that this same entry cancels.
     */
    private Result removeWaiters(List<WaitRef> refs, long dueBy, ApplyContext ctx) {
        List<WaitRef> cancelled = new ArrayList<>();
        TreeSet<String> touched = new TreeSet<>();
        for (WaitRef ref : refs) {
            LockState lock = locks.get(ref.key());
            LockView.Waiter w = lock == null ? null : lock.waiters.get(ref.session());
            if (w != null && w.deadline() <= dueBy) {
                lock.waiters.remove(ref.session());
                sessions.get(ref.session()).waitingLocks.remove(ref.key());
                cancelled.add(ref);
                touched.add(ref.key());
            }
        }
        for (String key : touched) {
            LockState lock = locks.get(key);
            grantQueued(lock, ctx);
            locks.dropIfIdle(lock);
        }
        return new Result.WaitsCancelled(cancelled);
    }

    private void releaseHolder(LockState lock, long session, long lockDelayMillis, ApplyContext ctx) {
        long token = lock.holders.get(session);
        lock.removeHolder(session);
        sessions.get(session).heldLocks.remove(lock.key);
        ctx.emit(EventType.UNLOCK, lock.key, 0, session, token);
        if (lockDelayMillis > 0) {
            lock.delayUntil = Math.max(lock.delayUntil, ctx.now + lockDelayMillis);
        }
        grantQueued(lock, ctx);
        locks.dropIfIdle(lock);
    }

    private void grantQueued(LockState lock, ApplyContext ctx) {
        for (LockView.Waiter w : lock.promote(ctx.now, ctx.index)) {
            SessionTable.Session s = sessions.get(w.session());
            s.waitingLocks.remove(lock.key);
            s.heldLocks.add(lock.key);
            ctx.emit(EventType.LOCK, lock.key, 0, w.session(), ctx.index);
        }
    }

    private static String busyMessage(LockState lock, long now) {
        if (lock.delayedAt(now)) {
            return lock.key + " is in lockDelay after its holder's session expired, until cluster time " + lock.delayUntil;
        }
        if (!lock.waiters.isEmpty() && lock.compatibleWith(LockMode.SHARED) && !lock.holders.isEmpty()) {
            return lock.key + " has queued requests ahead";
        }
        return lock.key + " is held";
    }
}
