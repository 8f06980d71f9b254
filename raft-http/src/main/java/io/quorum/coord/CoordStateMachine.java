package io.quorum.coord;

import io.quorum.coord.Command.Acquire;
import io.quorum.coord.Command.Advertise;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The coordination state machine: keys, sessions, locks with fencing tokens and their wait
 * queues, and the event history (ARCHITECTURE.md rule 3).
 *
 * <p>Called by the node's apply loop only, one entry at a time and in log order: {@link
 * #apply(long, byte[])} for every committed NORMAL entry, {@link #restore} when a snapshot is
 * installed. Queries may run on the same thread between applies; the class is not thread-safe.
 * Nothing here reads a clock, a random source or hash order, so every replica that applies the
 * same entries holds the same state ({@link #stateHash()}) and returned the same results.
 *
 * <p>Time is cluster time: each entry carries the leader's clock ({@link StampedCommand}) and the
 * state's time is the largest stamp applied so far. Deadlines act only through commands the
 * leader proposes when {@link #dueWork(long)} lists them; applying re-checks each deadline, so a
 * stale proposal does no harm.
 */
public final class CoordStateMachine {

    /** Longest member id or HTTP address an {@link Advertise} may carry. */
    static final int MAX_MEMBER_FIELD_CHARS = 255;

    private final CoordConfig config;
    private CoordState state;
    private EventLog events;
    private KvCommands kv;
    private LockCommands lockCommands;
    private SessionCommands sessionCommands;

    public CoordStateMachine(CoordConfig config) {
        this.config = config;
        install(new CoordState());
    }

    private void install(CoordState newState) {
        state = newState;
        events = new EventLog(config.eventHistorySize(), newState.appliedIndex);
        kv = new KvCommands(state.keys, state.sessions, state.locks, config);
        lockCommands = new LockCommands(state.locks, state.sessions, config);
        sessionCommands = new SessionCommands(state.sessions, kv, lockCommands, config);
    }

    // ---- applying the log ------------------------------------------------------------------

    /**
     * Applies the payload of the committed entry at {@code index}. Indexes must increase (gaps
     * are the entries that carry no command: a leader's no-op, configuration changes). A payload
     * that does not decode is answered with INVALID_ARGUMENT and changes nothing but the applied
     * index, on every replica alike, instead of stopping the node.
     *
     * @throws IllegalStateException when {@code index} is not after the last applied index
     */
    public Applied apply(long index, byte[] payload) {
        StampedCommand stamped;
        try {
            stamped = CommandCodec.decode(payload);
        } catch (MalformedPayloadException e) {
            advanceTo(index);
            return new Applied(index, Result.Failure.of(ErrorCode.INVALID_ARGUMENT, e.getMessage()), List.of());
        }
        return apply(index, stamped);
    }

    /** Applies a decoded command; the same as {@link #apply(long, byte[])} of its encoding. */
    public Applied apply(long index, StampedCommand stamped) {
        advanceTo(index);
        state.clusterTime = Math.max(state.clusterTime, stamped.clusterTimeMillis());
        ApplyContext ctx = new ApplyContext(index, state.clusterTime);
        Result result = dispatch(stamped.command(), ctx);
        for (Event e : ctx.events()) {
            events.append(e);
        }
        return new Applied(index, result, ctx.events());
    }

    private void advanceTo(long index) {
        if (index <= state.appliedIndex) {
            throw new IllegalStateException("entry " + index + " is not after the last applied entry " + state.appliedIndex);
        }
        state.appliedIndex = index;
    }

    private Result dispatch(Command c, ApplyContext ctx) {
        if (c instanceof Put p) {
            return kv.put(p, ctx);
        } else if (c instanceof Delete d) {
            return kv.delete(d, ctx);
        } else if (c instanceof OpenSession o) {
            return sessionCommands.open(o, ctx);
        } else if (c instanceof KeepAlive k) {
            return sessionCommands.keepAlive(k, ctx);
        } else if (c instanceof CloseSession s) {
            return sessionCommands.close(s, ctx);
        } else if (c instanceof ExpireSessions e) {
            return sessionCommands.expire(e, ctx);
        } else if (c instanceof LeaderChanged) {
            return sessionCommands.leaderChanged(ctx);
        } else if (c instanceof Acquire a) {
            return lockCommands.acquire(a, ctx);
        } else if (c instanceof Release r) {
            return lockCommands.release(r, ctx);
        } else if (c instanceof CancelWait w) {
            return lockCommands.cancelWait(w, ctx);
        } else if (c instanceof ExpireWaits w) {
            return lockCommands.expireWaits(w, ctx);
        } else if (c instanceof ClearLockDelays d) {
            return lockCommands.clearDelays(d, ctx);
        } else if (c instanceof Advertise a) {
            return advertise(a);
        }
        throw new IllegalArgumentException("unknown command " + c);
    }

    private Result advertise(Advertise a) {
        if (a.member().isEmpty() || a.member().length() > MAX_MEMBER_FIELD_CHARS
                || a.httpAddr().length() > MAX_MEMBER_FIELD_CHARS) {
            return Result.Failure.of(ErrorCode.INVALID_ARGUMENT,
                    "a member id must be 1-" + MAX_MEMBER_FIELD_CHARS + " characters, an address at most that");
        }
        if (a.httpAddr().isEmpty()) {
            state.httpAddrs.remove(a.member());
        } else {
            state.httpAddrs.put(a.member(), a.httpAddr());
        }
        return new Result.MemberAdvertised(a.member(), a.httpAddr());
    }

    // ---- the leader's due work -------------------------------------------------------------

    /**
     * The commands the leader should propose, stamped with {@code now}, because cluster time
     * {@code now} has passed deadlines: expired sessions, expired waits, ended lockDelays (which
     * grant the queued requests). Empty when there is nothing to do. The leader calls this on its
     * timer (at {@link #nextDeadline()} or every tick) and does not propose the same work again
     * while its earlier proposal is in flight.
     */
    public List<Command> dueWork(long now) {
        List<Command> work = new ArrayList<>(3);
        List<Long> sessions = dueSessionExpiries(now);
        if (!sessions.isEmpty()) {
            work.add(new ExpireSessions(sessions));
        }
        List<WaitRef> waits = dueWaitCancellations(now);
        if (!waits.isEmpty()) {
            work.add(new ExpireWaits(waits));
        }
        List<String> delays = dueLockDelays(now);
        if (!delays.isEmpty()) {
            work.add(new ClearLockDelays(delays));
        }
        return work;
    }

    /** Sessions whose deadline is at or before {@code now}, in id order. */
    public List<Long> dueSessionExpiries(long now) {
        return state.sessions.dueAt(now);
    }

    /** Queued lock requests whose wait deadline is at or before {@code now}. */
    public List<WaitRef> dueWaitCancellations(long now) {
        return state.locks.waitsDueAt(now);
    }

    /** Locks whose lockDelay ends at or before {@code now}. */
    public List<String> dueLockDelays(long now) {
        return state.locks.delaysDueAt(now);
    }

    /** The earliest deadline of any kind in cluster time, or empty when there is none. */
    public OptionalLong nextDeadline() {
        long next = state.sessions.earliestDeadline();
        for (LockState lock : state.locks.all()) {
            next = lock.delayUntil != 0 ? Math.min(next, lock.delayUntil) : next;
            for (LockView.Waiter w : lock.waiters.values()) {
                next = Math.min(next, w.deadline());
            }
        }
        return next == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(next);
    }

    // ---- reads (not through the log) -------------------------------------------------------

    public long appliedIndex() {
        return state.appliedIndex;
    }

    public long clusterTime() {
        return state.clusterTime;
    }

    public Optional<KeyView> get(String key) {
        KeyStore.StoredKey k = state.keys.get(key);
        if (k == null) {
            return Optional.empty();
        }
        return Optional.of(new KeyView(key, k.value().clone(), k.version(), k.createIndex(), k.modIndex(), k.owner(),
                lock(key).orElse(null)));
    }

    /** See {@link KeyStore#list}: {@code prefix} is a string prefix, {@code after} null for the first page. */
    public ListPage list(String prefix, boolean delimiterSlash, String after, int limit) {
        return state.keys.list(prefix, delimiterSlash, after, limit, state.appliedIndex);
    }

    public Optional<SessionView> session(long id) {
        SessionTable.Session s = state.sessions.get(id);
        return s == null ? Optional.empty() : Optional.of(s.view());
    }

    public List<SessionView> sessions() {
        List<SessionView> out = new ArrayList<>();
        state.sessions.all().forEach(s -> out.add(s.view()));
        return out;
    }

    /** A lock that is held, waited for or in lockDelay; empty otherwise. */
    public Optional<LockView> lock(String key) {
        LockState lock = state.locks.get(key);
        return lock == null ? Optional.empty() : Optional.of(lock.view());
    }

    /** Chubby's CheckSequencer: whether {@code token} is a current grant of lock {@code key}. */
    public boolean checkToken(String key, long token) {
        LockState lock = state.locks.get(key);
        return lock != null && lock.heldWithToken(token);
    }

    /** Events after {@code index} under {@code prefix}; {@code compacted} when some are no longer kept. */
    public EventPage eventsAfter(long index, String prefix, int limit) {
        return events.after(index, prefix, limit);
    }

    /** The HTTP addresses members advertised, member id to address, in id order. */
    public SortedMap<String, String> memberHttpAddrs() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(state.httpAddrs));
    }

    /** Gauges for metrics: keys, sessions, locks held, queued requests. */
    public Stats stats() {
        return new Stats(state.keys.size(), state.sessions.size(), state.locks.heldCount(), state.locks.waiterCount());
    }

    public record Stats(int keys, int sessions, int locksHeld, int lockWaiters) {}

    // ---- snapshots -------------------------------------------------------------------------

    /** The whole replicated state as deterministic bytes, taken at {@link #appliedIndex()}. */
    public byte[] snapshot() {
        return SnapshotCodec.write(state);
    }

    /**
     * Replaces the state with a snapshot's; the event history restarts empty, so watches from
     * before the snapshot's index get COMPACTED.
     *
     * @throws MalformedPayloadException when the bytes are not a valid snapshot (the state is unchanged)
     */
    public void restore(byte[] snapshot) {
        install(SnapshotCodec.read(snapshot));
    }

    /** SHA-256 of {@link #snapshot()}, in hex: equal on replicas at equal applied indexes. */
    public String stateHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(snapshot()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
