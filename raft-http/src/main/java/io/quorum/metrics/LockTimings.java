package io.quorum.metrics;

import io.quorum.coord.Applied;
import io.quorum.coord.Event;
import io.quorum.coord.EventType;
import io.quorum.coord.Result;
import io.quorum.coord.WaitRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Lock wait and hold times, in cluster time, from the applied entries: a request queued by an
 * entry ({@link Result.LockQueued}) waits until a {@code lock} event for its key and session
 * grants it; a grant is held until an {@code unlock} event for the same key and session. Queued
 * requests that end otherwise (cancelled, their session closed or expired) are forgotten.
 *
 * <p>Remembers only the requests queued and the grants held now, as the state does. Used on the
 * apply thread only; not thread-safe.
 */
final class LockTimings {

    private final Map<WaitRef, Long> queuedSince = new HashMap<>();
    private final Map<WaitRef, Long> heldSince = new HashMap<>();
    private final LongConsumer waitMillis;
    private final LongConsumer holdMillis;

    /** @param waitMillis told each completed wait; @param holdMillis told each ended hold */
    LockTimings(LongConsumer waitMillis, LongConsumer holdMillis) {
        this.waitMillis = waitMillis;
        this.holdMillis = holdMillis;
    }

    void applied(Applied applied, long now) {
        Result result = applied.result();
        if (result instanceof Result.LockQueued q) {
            queuedSince.putIfAbsent(new WaitRef(q.key(), q.session()), now);
        } else if (result instanceof Result.WaitsCancelled c) {
            c.waits().forEach(queuedSince::remove);
        }
        for (Event e : applied.events()) {
            WaitRef ref = new WaitRef(e.key(), e.session());
            if (e.type() == EventType.LOCK) {
                Long queued = queuedSince.remove(ref);
                if (queued != null) {
                    waitMillis.accept(Math.max(0, now - queued));
                }
                heldSince.putIfAbsent(ref, now);
            } else if (e.type() == EventType.UNLOCK) {
                Long held = heldSince.remove(ref);
                if (held != null) {
                    holdMillis.accept(Math.max(0, now - held));
                }
            }
        }
        if (result instanceof Result.SessionClosed closed) {
            forgetWaits(List.of(closed.session()));
        } else if (result instanceof Result.SessionsExpired expired) {
            forgetWaits(expired.sessions());
        }
    }

    /** A snapshot replaced the state: the waits and holds in progress can no longer be matched. */
    void restored() {
        queuedSince.clear();
        heldSince.clear();
    }

    int tracked() {
        return queuedSince.size() + heldSince.size();
    }

    private void forgetWaits(List<Long> sessions) {
        queuedSince.keySet().removeIf(ref -> sessions.contains(ref.session()));
    }
}
