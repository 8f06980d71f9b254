package io.quorum.coord;

import static io.quorum.coord.LockMode.EXCLUSIVE;
import static io.quorum.coord.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Command.ExpireSessions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One ExpireSessions entry that ends a holder and a session queued behind it: the queued session's
 * deadline has passed too, so it must not be granted the lock the holder's expiry frees (the issue
 * 5 rule "a waiter whose session expires while queued is never granted"), whatever the order of
 * their ids. Found by the coordination simulation. Likewise one ExpireWaits entry cancels every
 * request it names whose wait is over before it grants any: it does not grant a request it cancels.
 */
class ExpiryInOneEntryTest {

    private final Harness h = new Harness(new CoordConfig(1024, 100, 3, 1000));

    @Test
    void aQueuedSessionExpiringInTheSameEntryAsTheHolderIsNeverGranted() {
        long holder = h.openSession(2_000, 0);
        long waiter = h.openSession(2_000, 0);
        h.grant("l", holder, EXCLUSIVE);
        h.acquire("l", waiter, EXCLUSIVE, 30_000);
        h.advance(2_000);

        Applied expiry = h.apply(new ExpireSessions(List.of(holder, waiter)));

        assertThat(expiry.result()).isEqualTo(new Result.SessionsExpired(List.of(holder, waiter)));
        assertThat(expiry.events()).noneMatch(e -> e.type() == EventType.LOCK);
        assertThat(expiry.events()).filteredOn(e -> e.type() == EventType.UNLOCK).extracting(Event::session).containsExactly(holder);
        assertThat(h.sm.lock("l")).isEmpty();
        assertThat(h.sm.sessions()).isEmpty();
    }

    @Test
    void aSharedWaiterBehindAnExpiringExclusiveWaiterIsNotGrantedWhenBothExpire() {
        long holder = h.openSession(60_000, 0);
        long exclusiveWaiter = h.openSession(2_000, 0);
        long sharedWaiter = h.openSession(2_000, 0);
        h.grant("l", holder, SHARED);
        h.acquire("l", exclusiveWaiter, EXCLUSIVE, 30_000);
        h.acquire("l", sharedWaiter, SHARED, 30_000);
        h.advance(2_000);

        Applied expiry = h.apply(new ExpireSessions(List.of(exclusiveWaiter, sharedWaiter)));

        assertThat(expiry.result()).isEqualTo(new Result.SessionsExpired(List.of(exclusiveWaiter, sharedWaiter)));
        assertThat(expiry.events()).noneMatch(e -> e.type() == EventType.LOCK);
        assertThat(h.sm.lock("l").orElseThrow().holders()).extracting(LockView.Holder::session).containsExactly(holder);
    }

    @Test
    void theLeadersDueWorkExpiresBothWithoutAGrant() {
        long holder = h.openSession(2_000, 0);
        long waiter = h.openSession(2_000, 0);
        h.grant("l", holder, EXCLUSIVE);
        h.acquire("l", waiter, SHARED, 30_000);
        h.advance(2_000);

        List<Applied> due = h.runDueWork();

        assertThat(due).extracting(Applied::result).containsExactly(new Result.SessionsExpired(List.of(holder, waiter)));
        assertThat(due.get(0).events()).noneMatch(e -> e.type() == EventType.LOCK);
        assertThat(h.sm.lock("l")).isEmpty();
    }

    @Test
    void anExpireWaitsEntryCancelsEveryDueRequestBeforeGrantingAny() {
        long holder = h.openSession(60_000, 0);
        long exclusiveWaiter = h.openSession(60_000, 0);
        long sharedWaiter = h.openSession(60_000, 0);
        h.grant("l", holder, SHARED);
        h.acquire("l", exclusiveWaiter, EXCLUSIVE, 1_000);
        h.acquire("l", sharedWaiter, SHARED, 1_000);
        h.advance(1_000);

        List<Applied> due = h.runDueWork();

        assertThat(due).extracting(Applied::result).containsExactly(new Result.WaitsCancelled(
                List.of(new WaitRef("l", exclusiveWaiter), new WaitRef("l", sharedWaiter))));
        assertThat(due.get(0).events()).noneMatch(e -> e.type() == EventType.LOCK);
        assertThat(h.sm.lock("l").orElseThrow().holders()).extracting(LockView.Holder::session).containsExactly(holder);
    }
}
