package io.quorum.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Applied;
import io.quorum.coord.Event;
import io.quorum.coord.EventType;
import io.quorum.coord.LockMode;
import io.quorum.coord.Result;
import io.quorum.coord.WaitRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lock waits and holds measured from applied entries, in cluster time. */
class LockTimingsTest {

    private final List<Long> waits = new ArrayList<>();
    private final List<Long> holds = new ArrayList<>();
    private final LockTimings timings = new LockTimings(waits::add, holds::add);
    private long index;

    private void apply(long now, Result result, Event... events) {
        index++;
        timings.applied(new Applied(index, result, List.of(events)), now);
    }

    private Event lock(String key, long session) {
        return new Event(index + 1, EventType.LOCK, key, 0, session, index + 1);
    }

    private Event unlock(String key, long session) {
        return new Event(index + 1, EventType.UNLOCK, key, 0, session, 1);
    }

    private static Result queued(String key, long session) {
        return new Result.LockQueued(key, LockMode.EXCLUSIVE, session, 0, Long.MAX_VALUE);
    }

    @Test
    void aQueuedRequestWaitsUntilItsGrantAndHoldsUntilItsRelease() {
        apply(1_000, new Result.LockGranted("a", LockMode.EXCLUSIVE, 1, 1), lock("a", 1));
        apply(1_500, queued("a", 2));
        apply(1_600, queued("a", 2)); // the same request again: still queued since 1 500
        apply(4_000, new Result.LockReleased(true), unlock("a", 1), lock("a", 2));
        apply(9_000, new Result.LockReleased(true), unlock("a", 2));

        assertThat(waits).containsExactly(2_500L);
        assertThat(holds).containsExactly(3_000L, 5_000L);
        assertThat(timings.tracked()).isZero();
    }

    @Test
    void anImmediateGrantIsNoWait() {
        apply(1_000, new Result.LockGranted("a", LockMode.SHARED, 1, 1), lock("a", 1));
        assertThat(waits).isEmpty();
    }

    @Test
    void requestsThatNeverGetTheLockAreForgotten() {
        apply(1_000, queued("a", 2));
        apply(1_000, queued("b", 3));
        apply(1_000, queued("c", 4));
        apply(2_000, new Result.WaitsCancelled(List.of(new WaitRef("a", 2))));
        apply(3_000, new Result.SessionClosed(3));
        apply(4_000, new Result.SessionsExpired(List.of(4L)), new Event(index + 1, EventType.SESSION_EXPIRED, "", 0, 4, 0));
        assertThat(timings.tracked()).isZero();

        // A later grant of the same key and session is not a wait of the forgotten request.
        apply(5_000, new Result.LockGranted("a", LockMode.EXCLUSIVE, 2, 9), lock("a", 2));
        assertThat(waits).isEmpty();
    }

    @Test
    void aSessionThatEndsWhileHoldingEndsItsHold() {
        apply(1_000, new Result.LockGranted("a", LockMode.EXCLUSIVE, 1, 1), lock("a", 1));
        apply(31_000, new Result.SessionsExpired(List.of(1L)),
                new Event(index + 1, EventType.SESSION_EXPIRED, "", 0, 1, 0), unlock("a", 1));
        assertThat(holds).containsExactly(30_000L);
    }

    @Test
    void aSnapshotForgetsWhatWasInProgress() {
        apply(1_000, new Result.LockGranted("a", LockMode.EXCLUSIVE, 1, 1), lock("a", 1));
        apply(1_000, queued("a", 2));
        timings.restored();
        assertThat(timings.tracked()).isZero();
        apply(2_000, new Result.LockReleased(true), unlock("a", 1), lock("a", 2));
        assertThat(waits).isEmpty();
        assertThat(holds).isEmpty();
    }
}
