package io.quorum.coord.sim;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CommandCodec;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.Event;
import io.quorum.coord.EventType;
import io.quorum.coord.LockSafetyChecker;
import io.quorum.coord.MalformedPayloadException;
import io.quorum.coord.Result;
import io.quorum.coord.StampedCommand;
import io.quorum.coord.WaitRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the coordination layer across every replica of one simulated run.
 *
 * <p>Every replica applies the same log, so the first replica to apply an index defines what that
 * entry did; the first applies arrive in index order (a replica applies an entry only after some
 * replica applied every entry before it, a snapshot being taken by a replica that did). That
 * stream, in log order, is fed to {@link LockSafetyChecker} (per lock, tokens strictly increase in
 * grant order and an exclusive grant never overlaps another) and checked here for: no grant to a
 * session that was never opened, had already ended (closed or expired) at an earlier index, or
 * expires in the very entry that grants it (its deadline had passed: a waiter whose session
 * expires while queued is never granted); no grant of a request by the entry that cancels it; no
 * fenced write accepted unless its token was a current grant of its lock. Every later apply of the
 * same index, on any replica, must answer the very same {@link Applied} (result and events).
 * The state hashes at equal applied indexes are compared by raft-core's InvariantChecker, through
 * the fingerprint of {@link CoordSimStateMachine}.
 */
final class CoordAudit {

    /** Told about the first apply of each index: how simulated clients learn of queued grants. */
    interface Listener {
        void firstApplied(long index, Command command, Applied applied);
    }

    private static final int MAX_VIOLATIONS = 20;

    private final Map<Long, Applied> appliedAt = new HashMap<>();
    private final LockSafetyChecker safety = new LockSafetyChecker();
    private final Map<Long, Long> openedAt = new HashMap<>();
    private final Map<Long, Long> endedAt = new HashMap<>();
    /** lock → session → token, from the lock and unlock events. */
    private final Map<String, Map<Long, Long>> grants = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Listener listener;
    private long lastIndex;
    private long grantCount;
    private long fencedAccepted;
    private long fencedRefused;
    private long expiries;
    /** Grants to a session whose deadline had passed in cluster time, its expiry not yet applied. */
    private long lateGrants;

    CoordAudit(Listener listener) {
        this.listener = listener;
    }

    List<String> violations() {
        return violations;
    }

    /** Grants, accepted and refused fenced writes, session expiries: to see that a run exercised the rules. */
    String stats() {
        return "grants=" + grantCount + " fencedAccepted=" + fencedAccepted + " fencedRefused=" + fencedRefused
                + " expiries=" + expiries + " lateGrants=" + lateGrants;
    }

    private void violation(String text) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(text);
        }
    }

    /** Node {@code node} applied the NORMAL entry at {@code index}; {@code sm} is its state after it. */
    void applied(String node, long index, byte[] payload, Applied applied, CoordStateMachine sm) {
        Applied first = appliedAt.get(index);
        if (first != null) {
            if (!first.equals(applied)) {
                violation("node " + node + " at index " + index + " answered " + applied + " where another replica answered " + first);
            }
            return;
        }
        if (index < lastIndex) {
            violation("node " + node + " applied index " + index + " first, after index " + lastIndex + " had been applied");
        }
        appliedAt.put(index, applied);
        lastIndex = Math.max(lastIndex, index);
        String where = "node " + node + " index " + index;
        try {
            safety.check(applied, sm, where);
        } catch (AssertionError e) {
            violation("lock safety: " + e.getMessage());
        }
        Command command = decode(payload);
        checkFence(where, command, applied.result());
        Set<Long> expiring = new HashSet<>();
        for (Event e : applied.events()) {
            if (e.type() == EventType.SESSION_EXPIRED) {
                expiring.add(e.session());
            }
        }
        List<WaitRef> cancelled = applied.result() instanceof Result.WaitsCancelled w ? w.waits() : List.of();
        for (Event e : applied.events()) {
            if (e.type() == EventType.LOCK && expiring.contains(e.session())) {
                violation(where + ": " + e.key() + " granted to session " + e.session() + " by the entry that expires it");
            }
            if (e.type() == EventType.LOCK && cancelled.contains(new WaitRef(e.key(), e.session()))) {
                violation(where + ": " + e.key() + " granted to session " + e.session() + " by the entry that cancels its request");
            }
            event(where, e, sm);
        }
        track(index, applied.result());
        listener.firstApplied(index, command, applied);
    }

    private static Command decode(byte[] payload) {
        try {
            StampedCommand stamped = CommandCodec.decode(payload);
            return stamped.command();
        } catch (MalformedPayloadException e) {
            return null;
        }
    }

    /** A fenced write that went through must name a current grant; the events of this entry come after it. */
    private void checkFence(String where, Command command, Result result) {
        if (!(command instanceof Command.Put put) || put.fence() == null) {
            return;
        }
        if (result instanceof Result.KeyWritten) {
            fencedAccepted++;
            Map<Long, Long> holders = grants.getOrDefault(put.fence().lockKey(), Map.of());
            if (!holders.containsValue(put.fence().token())) {
                violation(where + ": fenced put of " + put.key() + " accepted with token " + put.fence().token()
                        + " of " + put.fence().lockKey() + ", whose current grants are " + holders);
            }
        } else {
            fencedRefused++;
        }
    }

    private void event(String where, Event e, CoordStateMachine sm) {
        if (e.type() == EventType.LOCK) {
            grantCount++;
            Long ended = endedAt.get(e.session());
            if (!openedAt.containsKey(e.session())) {
                violation(where + ": " + e.key() + " granted to session " + e.session() + ", which was never opened");
            } else if (ended != null && ended < e.index()) {
                violation(where + ": " + e.key() + " granted to session " + e.session() + ", which ended at index " + ended);
            }
            grants.computeIfAbsent(e.key(), k -> new TreeMap<>()).put(e.session(), e.token());
            // Allowed (applying re-checks deadlines only in ExpireSessions), but worth knowing how often.
            if (sm.session(e.session()).map(v -> v.expiresAt() <= sm.clusterTime()).orElse(false)) {
                lateGrants++;
            }
        } else if (e.type() == EventType.UNLOCK) {
            Map<Long, Long> holders = grants.get(e.key());
            if (holders != null) {
                holders.remove(e.session());
            }
        } else if (e.type() == EventType.SESSION_EXPIRED) {
            expiries++;
            endedAt.putIfAbsent(e.session(), e.index());
        }
    }

    private void track(long index, Result result) {
        if (result instanceof Result.SessionOpened opened) {
            openedAt.put(opened.session(), index);
        } else if (result instanceof Result.SessionClosed closed) {
            endedAt.putIfAbsent(closed.session(), index);
        } else if (result instanceof Result.SessionsExpired expired) {
            expired.sessions().forEach(s -> endedAt.putIfAbsent(s, index));
        }
    }
}
