package io.quorum.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quorum.coord.Applied;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.ErrorCode;
import io.quorum.coord.Event;
import io.quorum.coord.EventType;
import io.quorum.coord.Result;
import io.quorum.server.AppliedObserver;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The coordination state's metrics: counters and lock timings from the applied entries (the
 * replica's {@link AppliedObserver}, on the apply thread), and gauges of the state's counts.
 * Every member applies the same entries, so every member reports the same counts.
 */
public final class CoordMetrics implements AppliedObserver {

    private final Counter sessionsExpired;
    private final Counter fencedRejected;
    private final LockTimings lockTimings;

    CoordMetrics(MeterRegistry registry) {
        sessionsExpired = Counter.builder("quorum.sessions.expired")
                .description("Sessions that expired (not closed): their locks were released and ephemeral keys deleted")
                .register(registry);
        fencedRejected = Counter.builder("quorum.fenced.writes.rejected")
                .description("Writes refused because their fencing token was not a current grant (409 FENCED)")
                .register(registry);
        Timer wait = Timer.builder("quorum.lock.wait")
                .description("Time a queued lock request waited for its grant, in cluster time")
                .serviceLevelObjectives(Buckets.LOCK)
                .register(registry);
        Timer hold = Timer.builder("quorum.lock.hold")
                .description("Time a lock was held, from grant to release or its session's end, in cluster time")
                .serviceLevelObjectives(Buckets.LOCK)
                .register(registry);
        lockTimings = new LockTimings(ms -> wait.record(ms, TimeUnit.MILLISECONDS), ms -> hold.record(ms, TimeUnit.MILLISECONDS));
    }

    /** Registers the gauges of the state's counts, read from {@code stats} (which must not block). */
    void bindStats(Supplier<CoordStateMachine.Stats> stats, MeterRegistry registry) {
        gauge(registry, "quorum.sessions.active", "Open sessions", stats, CoordStateMachine.Stats::sessions);
        gauge(registry, "quorum.locks.held", "Locks held by at least one session", stats, CoordStateMachine.Stats::locksHeld);
        gauge(registry, "quorum.lock.waiters", "Lock requests waiting in a queue", stats, CoordStateMachine.Stats::lockWaiters);
        gauge(registry, "quorum.keys", "Keys stored", stats, CoordStateMachine.Stats::keys);
    }

    private static void gauge(MeterRegistry registry, String name, String description,
                              Supplier<CoordStateMachine.Stats> stats, ToDoubleFunction<CoordStateMachine.Stats> field) {
        Gauge.builder(name, stats, s -> field.applyAsDouble(s.get())).description(description).strongReference(true)
                .register(registry);
    }

    @Override
    public void applied(Applied applied, long clusterTimeMillis) {
        if (applied.result() instanceof Result.Failure f && f.code() == ErrorCode.FENCED) {
            fencedRejected.increment();
        }
        for (Event e : applied.events()) {
            if (e.type() == EventType.SESSION_EXPIRED) {
                sessionsExpired.increment();
            }
        }
        lockTimings.applied(applied, clusterTimeMillis);
    }

    @Override
    public void restored() {
        lockTimings.restored();
    }
}
