package io.quorum.coord;

import static io.quorum.coord.LockMode.EXCLUSIVE;
import static io.quorum.coord.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Command.CancelWait;
import io.quorum.coord.Command.CloseSession;
import io.quorum.coord.Command.ExpireSessions;
import io.quorum.coord.Command.ExpireWaits;
import io.quorum.coord.Command.Release;
import io.quorum.coord.Result.LockGranted;
import io.quorum.coord.Result.LockQueued;
import io.quorum.coord.Result.LockReleased;
import io.quorum.coord.Result.WaitsCancelled;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTest {

    private final Harness h = new Harness(new CoordConfig(1024, 100, 3, 1000));

    @Test
    void theFencingTokenIsTheIndexOfTheGrantingEntry() {
        long s = h.openSession();
        Applied granted = h.apply(new Command.Acquire("locks/a", s, EXCLUSIVE, 0));
        assertThat(granted.result()).isEqualTo(new LockGranted("locks/a", EXCLUSIVE, s, granted.index()));
        assertThat(granted.events()).containsExactly(new Event(granted.index(), EventType.LOCK, "locks/a", 0, s, granted.index()));
        assertThat(h.sm.checkToken("locks/a", granted.index())).isTrue();
        assertThat(h.sm.checkToken("locks/a", granted.index() - 1)).isFalse();
    }

    @Test
    void acquiringAgainInTheSameModeReturnsTheSameToken() {
        long s = h.openSession();
        long token = h.grant("l", s, EXCLUSIVE);
        assertThat(h.grant("l", s, EXCLUSIVE)).isEqualTo(token);
        assertThat(h.grant("l", s, EXCLUSIVE)).isEqualTo(token);
        assertThat(h.error(new Command.Acquire("l", s, SHARED, 0))).isEqualTo(ErrorCode.LOCK_HELD);
    }

    @Test
    void aHeldLockAnswersLockHeldWithTheHolders() {
        long s1 = h.openSession();
        long s2 = h.openSession();
        long token = h.grant("l", s1, EXCLUSIVE);
        Result busy = h.acquire("l", s2, EXCLUSIVE, 0);
        assertThat(busy).isInstanceOfSatisfying(Result.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.LOCK_HELD);
            assertThat(f.holders()).containsExactly(new LockView.Holder(s1, token));
        });
        assertThat(h.error(new Command.Acquire("l", 12345, EXCLUSIVE, 0))).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void aQueuedRequestIsGrantedByTheReleaseAtTheReleasingIndex() {
        long s1 = h.openSession();
        long s2 = h.openSession();
        long token1 = h.grant("l", s1, EXCLUSIVE);
        assertThat(h.acquire("l", s2, EXCLUSIVE, 10_000)).isEqualTo(new LockQueued("l", EXCLUSIVE, s2, 0, h.time + 10_000));

        Applied release = h.apply(new Release("l", s1));

        assertThat(release.result()).isEqualTo(new LockReleased(true));
        assertThat(release.events()).containsExactly(
                new Event(release.index(), EventType.UNLOCK, "l", 0, s1, token1),
                new Event(release.index(), EventType.LOCK, "l", 0, s2, release.index()));
        assertThat(h.sm.lock("l").orElseThrow().holders()).containsExactly(new LockView.Holder(s2, release.index()));
        assertThat(release.index()).isGreaterThan(token1);
    }

    @Test
    void releasingALockNotHeldAnswersFalse() {
        long s = h.openSession();
        assertThat(h.run(new Release("l", s))).isEqualTo(new LockReleased(false));
        assertThat(h.error(new Release("l", 999))).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void sharedHoldersCoexistAndAQueuedExclusiveWaitsForAllOfThem() {
        long r1 = h.openSession();
        long r2 = h.openSession();
        long w = h.openSession();
        long r3 = h.openSession();
        long t1 = h.grant("l", r1, SHARED);
        long t2 = h.grant("l", r2, SHARED);
        assertThat(h.acquire("l", w, EXCLUSIVE, 10_000)).isInstanceOf(LockQueued.class);
        // Strict arrival order: a later shared request does not overtake the queued exclusive one.
        assertThat(h.acquire("l", r3, SHARED, 0)).isInstanceOf(Result.Failure.class);
        assertThat(h.acquire("l", r3, SHARED, 10_000)).isEqualTo(new LockQueued("l", SHARED, r3, 1, h.time + 10_000));

        h.run(new Release("l", r1));
        assertThat(h.sm.lock("l").orElseThrow().holders()).containsExactly(new LockView.Holder(r2, t2));
        Applied last = h.apply(new Release("l", r2));
        assertThat(h.sm.lock("l").orElseThrow().holders()).containsExactly(new LockView.Holder(w, last.index()));
        assertThat(h.sm.lock("l").orElseThrow().mode()).isEqualTo(EXCLUSIVE);
        assertThat(t1).isLessThan(t2);

        Applied handOver = h.apply(new Release("l", w));
        assertThat(h.sm.lock("l").orElseThrow().holders()).containsExactly(new LockView.Holder(r3, handOver.index()));
    }

    @Test
    void sharedRequestsAtTheHeadOfTheQueueAreGrantedTogether() {
        long x = h.openSession();
        long a = h.openSession();
        long b = h.openSession();
        long y = h.openSession();
        h.grant("l", x, EXCLUSIVE);
        h.acquire("l", a, SHARED, 10_000);
        h.acquire("l", b, SHARED, 10_000);
        h.acquire("l", y, EXCLUSIVE, 10_000);
        Applied release = h.apply(new Release("l", x));
        LockView lock = h.sm.lock("l").orElseThrow();
        assertThat(lock.holders()).containsExactly(new LockView.Holder(a, release.index()), new LockView.Holder(b, release.index()));
        assertThat(lock.waiters()).extracting(LockView.Waiter::session).containsExactly(y);
    }

    @Test
    void aWaiterWhoseSessionExpiresWhileQueuedIsNeverGranted() {
        long holder = h.openSession(60_000, 0);
        long waiter = h.openSession(2_000, 0);
        h.grant("l", holder, EXCLUSIVE);
        h.acquire("l", waiter, EXCLUSIVE, 30_000);
        h.advance(2_000);
        List<Applied> due = h.runDueWork();
        assertThat(due).extracting(Applied::result).containsExactly(new Result.SessionsExpired(List.of(waiter)));
        assertThat(h.sm.lock("l").orElseThrow().waiters()).isEmpty();

        Applied release = h.apply(new Release("l", holder));
        assertThat(release.events()).extracting(Event::type).containsExactly(EventType.UNLOCK);
        assertThat(h.sm.lock("l")).isEmpty();
    }

    @Test
    void anExpiredHoldersLockStaysUnavailableForItsLockDelay() {
        long crashed = h.openSession(2_000, 5_000);
        long other = h.openSession(60_000, 0);
        long late = h.openSession(60_000, 0);
        h.grant("l", crashed, EXCLUSIVE);
        h.acquire("l", other, EXCLUSIVE, 30_000);
        h.advance(2_000);
        h.runDueWork();
        long expiredAt = h.time;
        assertThat(h.sm.session(crashed)).isEmpty();
        assertThat(h.sm.lock("l").orElseThrow().holders()).isEmpty();
        assertThat(h.sm.lock("l").orElseThrow().unavailableUntil()).isEqualTo(expiredAt + 5_000);
        assertThat(h.acquire("l", late, EXCLUSIVE, 0)).isInstanceOf(Result.Failure.class);

        h.advance(4_999);
        assertThat(h.sm.dueLockDelays(h.time)).isEmpty();
        h.advance(1);
        assertThat(h.sm.dueLockDelays(h.time)).containsExactly("l");
        Applied cleared = h.runDueWork().get(0);
        assertThat(cleared.result()).isEqualTo(new Result.LockDelaysCleared(List.of("l")));
        assertThat(h.sm.lock("l").orElseThrow().holders()).containsExactly(new LockView.Holder(other, cleared.index()));
    }

    @Test
    void anAcquireAfterTheLockDelayPassedNeedsNoClearCommand() {
        long crashed = h.openSession(2_000, 5_000);
        long other = h.openSession(60_000, 0);
        h.grant("l", crashed, EXCLUSIVE);
        h.advance(2_000);
        h.runDueWork();
        h.advance(5_000);
        Applied granted = h.apply(new Command.Acquire("l", other, EXCLUSIVE, 0));
        assertThat(granted.result()).isEqualTo(new LockGranted("l", EXCLUSIVE, other, granted.index()));
        assertThat(h.sm.dueLockDelays(h.time)).isEmpty();
    }

    @Test
    void noLockDelayFollowsAReleaseOrAClose() {
        long s1 = h.openSession(15_000, 10_000);
        long s2 = h.openSession(15_000, 10_000);
        long s3 = h.openSession(15_000, 0);
        h.grant("a", s1, EXCLUSIVE);
        h.grant("b", s2, EXCLUSIVE);
        h.run(new Release("a", s1));
        h.run(new CloseSession(s2));
        assertThat(h.acquire("a", s3, EXCLUSIVE, 0)).isInstanceOf(LockGranted.class);
        assertThat(h.acquire("b", s3, EXCLUSIVE, 0)).isInstanceOf(LockGranted.class);
    }

    @Test
    void closingASessionReleasesItsLocksAndLeavesItsQueues() {
        long s1 = h.openSession();
        long s2 = h.openSession();
        long s3 = h.openSession();
        h.grant("a", s1, EXCLUSIVE);
        h.grant("b", s2, EXCLUSIVE);
        h.acquire("b", s1, EXCLUSIVE, 10_000);
        h.acquire("a", s3, EXCLUSIVE, 10_000);
        Applied closed = h.apply(new CloseSession(s1));
        assertThat(h.sm.lock("a").orElseThrow().holders()).containsExactly(new LockView.Holder(s3, closed.index()));
        assertThat(h.sm.lock("b").orElseThrow().waiters()).isEmpty();
        assertThat(h.sm.session(s3).orElseThrow().locks()).containsExactly("a");
    }

    @Test
    void aWaitEndsWhenItsDeadlinePassesAndNotBefore() {
        long s1 = h.openSession(60_000, 0);
        long s2 = h.openSession(60_000, 0);
        h.grant("l", s1, EXCLUSIVE);
        h.acquire("l", s2, EXCLUSIVE, 3_000);
        WaitRef ref = new WaitRef("l", s2);
        h.advance(2_999);
        assertThat(h.sm.dueWaitCancellations(h.time)).isEmpty();
        // A stale or early proposal is re-checked and does nothing.
        assertThat(h.run(new ExpireWaits(List.of(ref)))).isEqualTo(new WaitsCancelled(List.of()));
        h.advance(1);
        assertThat(h.sm.dueWaitCancellations(h.time)).containsExactly(ref);
        assertThat(h.runDueWork()).extracting(Applied::result).containsExactly(new WaitsCancelled(List.of(ref)));
        assertThat(h.sm.lock("l").orElseThrow().waiters()).isEmpty();
        assertThat(h.sm.session(s2).orElseThrow().waiting()).isEmpty();
    }

    @Test
    void cancellingAQueuedExclusiveLetsTheSharedRequestsBehindItIn() {
        long r1 = h.openSession();
        long w = h.openSession();
        long r2 = h.openSession();
        h.grant("l", r1, SHARED);
        h.acquire("l", w, EXCLUSIVE, 10_000);
        h.acquire("l", r2, SHARED, 10_000);
        Applied cancel = h.apply(new CancelWait("l", w));
        assertThat(cancel.result()).isEqualTo(new WaitsCancelled(List.of(new WaitRef("l", w))));
        assertThat(cancel.events()).containsExactly(new Event(cancel.index(), EventType.LOCK, "l", 0, r2, cancel.index()));
    }

    @Test
    void aRetriedQueuedRequestKeepsItsPlaceAndTheLaterDeadline() {
        long s1 = h.openSession();
        long s2 = h.openSession();
        long s3 = h.openSession();
        h.grant("l", s1, EXCLUSIVE);
        h.acquire("l", s2, EXCLUSIVE, 5_000);
        h.acquire("l", s3, EXCLUSIVE, 5_000);
        h.advance(1_000);
        assertThat(h.acquire("l", s2, EXCLUSIVE, 5_000)).isEqualTo(new LockQueued("l", EXCLUSIVE, s2, 0, h.time + 5_000));
        assertThat(h.acquire("l", s2, EXCLUSIVE, 1)).isEqualTo(new LockQueued("l", EXCLUSIVE, s2, 0, h.time + 5_000));
        assertThat(h.error(new Command.Acquire("l", s2, SHARED, 5_000))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void theWaitQueueIsBounded() {
        long holder = h.openSession();
        h.grant("l", holder, EXCLUSIVE);
        for (int i = 0; i < 3; i++) {
            assertThat(h.acquire("l", h.openSession(), EXCLUSIVE, 1_000)).isInstanceOf(LockQueued.class);
        }
        assertThat(h.error(new Command.Acquire("l", h.openSession(), EXCLUSIVE, 1_000))).isEqualTo(ErrorCode.OVERLOADED);
    }

    @Test
    void badLockRequestsAreInvalid() {
        long s = h.openSession();
        assertThat(h.error(new Command.Acquire("bad//key", s, EXCLUSIVE, 0))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.error(new Command.Acquire("l", s, EXCLUSIVE, -1))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.error(new Command.Acquire("l", s, EXCLUSIVE, CoordConfig.MAX_WAIT_MILLIS + 1)))
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void tokensOfOneLockStrictlyIncreaseAcrossGrants() {
        long s1 = h.openSession(2_000, 0);
        long s2 = h.openSession(60_000, 0);
        long previous = 0;
        for (int round = 0; round < 5; round++) {
            long token = h.grant("l", s2, EXCLUSIVE);
            assertThat(token).isGreaterThan(previous);
            previous = token;
            h.run(new Release("l", s2));
        }
        h.grant("l", s1, EXCLUSIVE);
        h.acquire("l", s2, EXCLUSIVE, 60_000);
        h.advance(2_000);
        List<Applied> due = h.runDueWork();
        assertThat(due.get(0).result()).isEqualTo(new Result.SessionsExpired(List.of(s1)));
        assertThat(h.sm.lock("l").orElseThrow().holders().get(0).token()).isEqualTo(due.get(0).index()).isGreaterThan(previous);
        assertThat(h.run(new ExpireSessions(List.of(s1)))).isEqualTo(new Result.SessionsExpired(List.of()));
    }
}
