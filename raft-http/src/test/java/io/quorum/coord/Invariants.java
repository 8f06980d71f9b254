package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What must hold after every command, checked through the public views (LogCabin's habit of
 * checking invariants after every step in tests).
 */
final class Invariants {

    private Invariants() {}

    static void check(CoordStateMachine sm, String where) {
        Set<Long> sessions = new HashSet<>();
        for (SessionView s : sm.sessions()) {
            sessions.add(s.id());
            assertThat(s.expiresAt()).as(where).isLessThanOrEqualTo(sm.clusterTime() + s.ttlMillis());
            for (String key : s.ephemeralKeys()) {
                assertThat(sm.get(key).orElseThrow().ephemeralOwner()).as(where).isEqualTo(s.id());
            }
            for (String key : s.locks()) {
                assertThat(sm.lock(key).orElseThrow().holders()).as(where)
                        .anyMatch(h -> h.session() == s.id());
            }
        }
        for (ListPage.Item item : sm.list("", false, null, 0).items()) {
            long owner = sm.get(item.key()).orElseThrow().ephemeralOwner();
            assertThat(owner == 0 || sessions.contains(owner)).as(where + ": owner of " + item.key() + " is open").isTrue();
        }
        for (SessionView s : sm.sessions()) {
            for (String key : s.locks()) {
                checkLock(sm.lock(key).orElseThrow(), sessions, sm.clusterTime(), where);
            }
            for (String key : s.waiting()) {
                checkLock(sm.lock(key).orElseThrow(), sessions, sm.clusterTime(), where);
            }
        }
    }

    private static void checkLock(LockView lock, Set<Long> sessions, long now, String where) {
        String at = where + ": lock " + lock.key();
        if (lock.mode() == LockMode.EXCLUSIVE) {
            assertThat(lock.holders()).as(at + ": one exclusive holder").hasSize(1);
        }
        assertThat(lock.mode() == null).as(at + ": mode iff holders").isEqualTo(lock.holders().isEmpty());
        lock.holders().forEach(h -> assertThat(sessions).as(at + ": holder's session is open").contains(h.session()));
        lock.waiters().forEach(w -> assertThat(sessions).as(at + ": waiter's session is open").contains(w.session()));
        assertThat(lock.holders().stream().map(LockView.Holder::session).distinct().count()).isEqualTo(lock.holders().size());
        if (lock.unavailableUntil() <= now && !lock.waiters().isEmpty()) {
            LockView.Waiter head = lock.waiters().get(0);
            boolean grantable = lock.holders().isEmpty()
                    || (head.mode() == LockMode.SHARED && lock.mode() == LockMode.SHARED);
            // A passed lockDelay is forgotten only by a command that touches the lock; until then
            // the head may be grantable in principle, but never without a running delay.
            if (lock.unavailableUntil() == 0) {
                assertThat(grantable).as(at + ": the head of the queue would have been granted").isFalse();
            }
        }
        List<Long> tokens = lock.holders().stream().map(LockView.Holder::token).toList();
        assertThat(tokens).as(at + ": tokens in grant order").isSorted();
    }
}
