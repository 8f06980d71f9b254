package io.quorum.coord;

import io.quorum.coord.Command.Acquire;
import io.quorum.coord.Command.CancelWait;
import io.quorum.coord.Command.ClearLockDelays;
import io.quorum.coord.Command.CloseSession;
import io.quorum.coord.Command.Delete;
import io.quorum.coord.Command.ExpireSessions;
import io.quorum.coord.Command.ExpireWaits;
import io.quorum.coord.Command.KeepAlive;
import io.quorum.coord.Command.LeaderChanged;
import io.quorum.coord.Command.OpenSession;
import io.quorum.coord.Command.Put;
import io.quorum.coord.Command.Release;
import io.quorum.coord.Result.Failure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The obviously-correct version of the rules in API.md, written straight from the text with no
 * indexes and no cleverness: lists scanned in full, the session's keys and locks found by looking
 * at every key and lock. Slow and small on purpose; the property tests hold the real state machine
 * to it. Failures are compared by code (and holders), not by message.
 */
final class ReferenceModel {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~-]{1,255}(/[A-Za-z0-9._~-]{1,255})*");

    static final class Key {
        byte[] value;
        long version;
        long createIndex;
        long modIndex;
        long owner;
    }

    static final class Session {
        long ttl;
        long lockDelay;
        long deadline;
    }

    static final class Lock {
        LockMode mode;
        final List<LockView.Holder> holders = new ArrayList<>();
        final List<LockView.Waiter> queue = new ArrayList<>();
        long delayUntil;
    }

    private final CoordConfig config;
    final TreeMap<String, Key> keys = new TreeMap<>();
    final TreeMap<Long, Session> sessions = new TreeMap<>();
    final TreeMap<String, Lock> locks = new TreeMap<>();
    final TreeMap<String, String> httpAddrs = new TreeMap<>();
    final List<Event> history = new ArrayList<>();
    long time;
    long index;
    private List<Event> events;

    ReferenceModel(CoordConfig config) {
        this.config = config;
    }

    /** Applies {@code c} at {@code entryIndex}; returns the result and leaves the step's events in {@link #lastEvents()}. */
    Result apply(long entryIndex, long stamp, Command c) {
        index = entryIndex;
        time = Math.max(time, stamp);
        events = new ArrayList<>();
        Result r = run(c);
        history.addAll(events);
        return r;
    }

    List<Event> lastEvents() {
        return events;
    }

    private Result run(Command c) {
        if (c instanceof Put p) {
            return put(p);
        } else if (c instanceof Delete d) {
            return delete(d);
        } else if (c instanceof OpenSession o) {
            return open(o);
        } else if (c instanceof KeepAlive k) {
            Session s = sessions.get(k.session());
            if (s == null) {
                return fail(ErrorCode.SESSION_NOT_FOUND);
            }
            s.deadline = time + s.ttl;
            return new Result.SessionRenewed(k.session(), s.ttl, s.ttl);
        } else if (c instanceof CloseSession cs) {
            if (!sessions.containsKey(cs.session())) {
                return fail(ErrorCode.SESSION_NOT_FOUND);
            }
            end(cs.session(), false);
            return new Result.SessionClosed(cs.session());
        } else if (c instanceof ExpireSessions e) {
            List<Long> expired = new ArrayList<>();
            for (long id : e.sessions()) {
                Session s = sessions.get(id);
                if (s != null && s.deadline <= time && !expired.contains(id)) {
                    expired.add(id);
                }
            }
            // Sessions expiring together all leave their queues before any lock is granted.
            for (Map.Entry<String, Lock> l : locks.entrySet()) {
                if (l.getValue().queue.removeIf(w -> expired.contains(w.session()))) {
                    settle(l.getKey(), l.getValue());
                }
            }
            for (long id : expired) {
                emit(EventType.SESSION_EXPIRED, "", 0, id, 0);
                end(id, true);
            }
            return new Result.SessionsExpired(expired);
        } else if (c instanceof LeaderChanged) {
            sessions.values().forEach(s -> s.deadline = time + s.ttl);
            return new Result.SessionsRenewed(sessions.size());
        } else if (c instanceof Acquire a) {
            return acquire(a);
        } else if (c instanceof Release r) {
            return release(r);
        } else if (c instanceof CancelWait w) {
            if (!sessions.containsKey(w.session())) {
                return fail(ErrorCode.SESSION_NOT_FOUND);
            }
            List<WaitRef> cancelled = new ArrayList<>();
            cancelWait(new WaitRef(w.key(), w.session()), Long.MAX_VALUE, cancelled);
            return new Result.WaitsCancelled(cancelled);
        } else if (c instanceof ExpireWaits w) {
            // Every due request named leaves its queue before any queue is granted.
            List<WaitRef> cancelled = new ArrayList<>();
            for (WaitRef ref : w.waits()) {
                Lock l = locks.get(ref.key());
                if (l != null && l.queue.removeIf(q -> q.session() == ref.session() && q.deadline() <= time)) {
                    cancelled.add(ref);
                }
            }
            cancelled.stream().map(WaitRef::key).distinct().sorted().forEach(key -> settle(key, locks.get(key)));
            return new Result.WaitsCancelled(cancelled);
        } else if (c instanceof ClearLockDelays d) {
            List<String> cleared = new ArrayList<>();
            for (String key : d.keys()) {
                Lock l = locks.get(key);
                if (l != null && l.delayUntil != 0 && l.delayUntil <= time) {
                    settle(key, l);
                    cleared.add(key);
                }
            }
            return new Result.LockDelaysCleared(cleared);
        } else if (c instanceof Command.Advertise a) {
            if (a.member().isEmpty() || a.member().length() > 255 || a.httpAddr().length() > 255) {
                return fail(ErrorCode.INVALID_ARGUMENT);
            }
            if (a.httpAddr().isEmpty()) {
                httpAddrs.remove(a.member());
            } else {
                httpAddrs.put(a.member(), a.httpAddr());
            }
            return new Result.MemberAdvertised(a.member(), a.httpAddr());
        }
        throw new AssertionError(c);
    }

    // ---- keys ----

    static boolean validKey(String key) {
        if (!KEY.matcher(key).matches() || key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            return false;
        }
        for (String segment : key.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private Result put(Put p) {
        if (!validKey(p.key())) {
            return fail(ErrorCode.INVALID_ARGUMENT);
        }
        if (p.value().length > config.maxValueBytes()) {
            return fail(ErrorCode.TOO_LARGE);
        }
        if (p.ephemeralSession() != 0 && !sessions.containsKey(p.ephemeralSession())) {
            return fail(ErrorCode.SESSION_NOT_FOUND);
        }
        Failure refused = preconditions(p.key(), p.expectedVersion(), p.fence());
        if (refused != null) {
            return refused;
        }
        Key k = keys.get(p.key());
        if (k == null) {
            k = new Key();
            k.createIndex = index;
            keys.put(p.key(), k);
        }
        k.value = p.value().clone();
        k.version++;
        k.modIndex = index;
        k.owner = p.ephemeralSession();
        emit(EventType.PUT, p.key(), k.version, k.owner, 0);
        return new Result.KeyWritten(p.key(), k.version, k.createIndex, k.modIndex);
    }

    private Result delete(Delete d) {
        if (!validKey(d.key())) {
            return fail(ErrorCode.INVALID_ARGUMENT);
        }
        Failure refused = preconditions(d.key(), d.expectedVersion(), d.fence());
        if (refused != null) {
            return refused;
        }
        Key k = keys.remove(d.key());
        if (k != null) {
            emit(EventType.DELETE, d.key(), 0, k.owner, 0);
        }
        return new Result.KeyDeleted(k != null, index);
    }

    private Failure preconditions(String key, long expectedVersion, Fence fence) {
        if (fence != null) {
            Lock l = locks.get(fence.lockKey());
            boolean held = l != null && l.holders.stream().anyMatch(h -> h.token() == fence.token());
            if (!held) {
                return fail(ErrorCode.FENCED);
            }
        }
        Key k = keys.get(key);
        if (expectedVersion != -1 && expectedVersion != (k == null ? 0 : k.version)) {
            return fail(ErrorCode.VERSION_MISMATCH);
        }
        return null;
    }

    // ---- sessions ----

    private Result open(OpenSession o) {
        if (o.ttlMillis() < 1000 || o.ttlMillis() > 3_600_000 || o.lockDelayMillis() < 0 || o.lockDelayMillis() > 60_000) {
            return fail(ErrorCode.INVALID_ARGUMENT);
        }
        if (sessions.size() >= config.maxSessions()) {
            return fail(ErrorCode.OVERLOADED);
        }
        Session s = new Session();
        s.ttl = o.ttlMillis();
        s.lockDelay = o.lockDelayMillis();
        s.deadline = time + s.ttl;
        sessions.put(index, s);
        return new Result.SessionOpened(index, s.ttl, s.lockDelay);
    }

    private void end(long id, boolean expired) {
        for (Map.Entry<String, Lock> e : locks.entrySet()) {
            if (e.getValue().queue.removeIf(w -> w.session() == id)) {
                settle(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Lock> e : locks.entrySet()) {
            Lock l = e.getValue();
            for (LockView.Holder h : List.copyOf(l.holders)) {
                if (h.session() == id) {
                    unlock(e.getKey(), l, h, expired ? sessions.get(id).lockDelay : 0);
                }
            }
        }
        for (String key : List.copyOf(keys.keySet())) {
            if (keys.get(key).owner == id) {
                keys.remove(key);
                emit(EventType.DELETE, key, 0, id, 0);
            }
        }
        sessions.remove(id);
    }

    // ---- locks ----

    private Result acquire(Acquire a) {
        if (!validKey(a.key()) || a.waitMillis() < 0 || a.waitMillis() > 3_600_000) {
            return fail(ErrorCode.INVALID_ARGUMENT);
        }
        if (!sessions.containsKey(a.session())) {
            return fail(ErrorCode.SESSION_NOT_FOUND);
        }
        Lock l = locks.computeIfAbsent(a.key(), k -> new Lock());
        settle(a.key(), l);
        for (LockView.Holder h : l.holders) {
            if (h.session() == a.session()) {
                return l.mode == a.mode()
                        ? new Result.LockGranted(a.key(), a.mode(), a.session(), h.token())
                        : new Failure(ErrorCode.LOCK_HELD, "", l.holders);
            }
        }
        for (int i = 0; i < l.queue.size(); i++) {
            LockView.Waiter w = l.queue.get(i);
            if (w.session() == a.session()) {
                if (w.mode() != a.mode()) {
                    return fail(ErrorCode.INVALID_ARGUMENT);
                }
                LockView.Waiter again = new LockView.Waiter(w.session(), w.mode(), Math.max(w.deadline(), time + a.waitMillis()));
                l.queue.set(i, again);
                return new Result.LockQueued(a.key(), a.mode(), a.session(), i, again.deadline());
            }
        }
        boolean free = l.delayUntil == 0 && l.queue.isEmpty()
                && (l.holders.isEmpty() || (l.mode == LockMode.SHARED && a.mode() == LockMode.SHARED));
        if (free) {
            l.holders.add(new LockView.Holder(a.session(), index));
            l.mode = a.mode();
            emit(EventType.LOCK, a.key(), 0, a.session(), index);
            return new Result.LockGranted(a.key(), a.mode(), a.session(), index);
        }
        if (a.waitMillis() == 0) {
            return new Failure(ErrorCode.LOCK_HELD, "", l.holders);
        }
        if (l.queue.size() >= config.maxWaitersPerLock()) {
            return fail(ErrorCode.OVERLOADED);
        }
        l.queue.add(new LockView.Waiter(a.session(), a.mode(), time + a.waitMillis()));
        return new Result.LockQueued(a.key(), a.mode(), a.session(), l.queue.size() - 1, time + a.waitMillis());
    }

    private Result release(Release r) {
        if (!sessions.containsKey(r.session())) {
            return fail(ErrorCode.SESSION_NOT_FOUND);
        }
        Lock l = locks.get(r.key());
        if (l != null) {
            for (LockView.Holder h : l.holders) {
                if (h.session() == r.session()) {
                    unlock(r.key(), l, h, 0);
                    return new Result.LockReleased(true);
                }
            }
        }
        return new Result.LockReleased(false);
    }

    private void cancelWait(WaitRef ref, long dueBy, List<WaitRef> cancelled) {
        Lock l = locks.get(ref.key());
        if (l != null && l.queue.removeIf(w -> w.session() == ref.session() && w.deadline() <= dueBy)) {
            cancelled.add(ref);
            settle(ref.key(), l);
        }
    }

    private void unlock(String key, Lock l, LockView.Holder h, long lockDelay) {
        l.holders.remove(h);
        if (l.holders.isEmpty()) {
            l.mode = null;
        }
        emit(EventType.UNLOCK, key, 0, h.session(), h.token());
        if (lockDelay > 0) {
            l.delayUntil = Math.max(l.delayUntil, time + lockDelay);
        }
        settle(key, l);
    }

    /** Forget a passed lockDelay, then grant from the head of the queue while the head fits. */
    private void settle(String key, Lock l) {
        if (l.delayUntil != 0 && l.delayUntil <= time) {
            l.delayUntil = 0;
        }
        while (l.delayUntil == 0 && !l.queue.isEmpty()) {
            LockView.Waiter head = l.queue.get(0);
            boolean fits = l.holders.isEmpty() || (l.mode == LockMode.SHARED && head.mode() == LockMode.SHARED);
            if (!fits) {
                return;
            }
            l.queue.remove(0);
            l.holders.add(new LockView.Holder(head.session(), index));
            l.mode = head.mode();
            emit(EventType.LOCK, key, 0, head.session(), index);
            if (head.mode() == LockMode.EXCLUSIVE) {
                return;
            }
        }
    }

    // ---- views ----

    Optional<LockView> lockView(String key) {
        Lock l = locks.get(key);
        if (l == null || (l.holders.isEmpty() && l.queue.isEmpty() && l.delayUntil == 0)) {
            return Optional.empty();
        }
        return Optional.of(new LockView(key, l.mode, l.holders, l.queue, l.delayUntil));
    }

    Optional<KeyView> keyView(String key) {
        Key k = keys.get(key);
        return k == null ? Optional.empty()
                : Optional.of(new KeyView(key, k.value, k.version, k.createIndex, k.modIndex, k.owner, lockView(key).orElse(null)));
    }

    SessionView sessionView(long id) {
        Session s = sessions.get(id);
        List<String> held = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        locks.forEach((key, l) -> {
            if (l.holders.stream().anyMatch(h -> h.session() == id)) {
                held.add(key);
            }
            if (l.queue.stream().anyMatch(w -> w.session() == id)) {
                waiting.add(key);
            }
        });
        List<String> ephemeral = new ArrayList<>();
        keys.forEach((key, k) -> {
            if (k.owner == id) {
                ephemeral.add(key);
            }
        });
        return new SessionView(id, s.ttl, s.lockDelay, s.deadline, held, waiting, ephemeral);
    }

    ListPage list(String prefix, boolean delimiter, String after, int limit) {
        List<String> all = new ArrayList<>();
        for (String key : keys.keySet()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            int slash = delimiter ? key.indexOf('/', prefix.length()) : -1;
            String item = slash < 0 ? key : key.substring(0, slash + 1);
            if ((after == null || item.compareTo(after) > 0) && !all.contains(item)) {
                all.add(item);
            }
        }
        List<ListPage.Item> items = new ArrayList<>();
        for (String item : all) {
            if (limit > 0 && items.size() == limit) {
                break;
            }
            Key k = keys.get(item);
            items.add(item.endsWith("/") ? new ListPage.Item(item, 0, 0, 0)
                    : new ListPage.Item(item, k.version, k.modIndex, k.value.length));
        }
        return new ListPage(index, items, items.size() < all.size());
    }

    List<Command> dueWork(long now) {
        List<Command> work = new ArrayList<>();
        List<Long> expired = new ArrayList<>();
        sessions.forEach((id, s) -> {
            if (s.deadline <= now) {
                expired.add(id);
            }
        });
        List<WaitRef> waits = new ArrayList<>();
        List<String> delays = new ArrayList<>();
        locks.forEach((key, l) -> {
            l.queue.stream().filter(w -> w.deadline() <= now).forEach(w -> waits.add(new WaitRef(key, w.session())));
            if (l.delayUntil != 0 && l.delayUntil <= now) {
                delays.add(key);
            }
        });
        if (!expired.isEmpty()) {
            work.add(new ExpireSessions(expired));
        }
        if (!waits.isEmpty()) {
            work.add(new ExpireWaits(waits));
        }
        if (!delays.isEmpty()) {
            work.add(new ClearLockDelays(delays));
        }
        return work;
    }

    java.util.OptionalLong nextDeadline() {
        List<Long> deadlines = new ArrayList<>();
        sessions.values().forEach(s -> deadlines.add(s.deadline));
        locks.values().forEach(l -> {
            l.queue.forEach(w -> deadlines.add(w.deadline()));
            if (l.delayUntil != 0) {
                deadlines.add(l.delayUntil);
            }
        });
        return deadlines.stream().mapToLong(Long::longValue).min();
    }

    private void emit(EventType type, String key, long version, long session, long token) {
        events.add(new Event(index, type, key, version, session, token));
    }

    private static Failure fail(ErrorCode code) {
        return new Failure(code, "", List.of());
    }
}
