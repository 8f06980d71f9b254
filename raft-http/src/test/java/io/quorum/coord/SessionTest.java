package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Command.CloseSession;
import io.quorum.coord.Command.ExpireSessions;
import io.quorum.coord.Command.KeepAlive;
import io.quorum.coord.Command.LeaderChanged;
import io.quorum.coord.Command.OpenSession;
import io.quorum.coord.Result.SessionsExpired;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {

    private final Harness h = new Harness(new CoordConfig(1024, 3, 10, 1000));

    @Test
    void aSessionsIdIsTheIndexOfTheEntryThatOpenedIt() {
        h.put("k", "v");
        Applied opened = h.apply(new OpenSession(15_000, 1_000));
        assertThat(opened.result()).isEqualTo(new Result.SessionOpened(2, 15_000, 1_000));
        assertThat(h.sm.session(2).orElseThrow().expiresAt()).isEqualTo(h.time + 15_000);
    }

    @Test
    void ttlAndLockDelayAreBounded() {
        assertThat(h.error(new OpenSession(999, 0))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.error(new OpenSession(3_600_001, 0))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.error(new OpenSession(15_000, -1))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.error(new OpenSession(15_000, 60_001))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(h.run(new OpenSession(1_000, 60_000))).isInstanceOf(Result.SessionOpened.class);
        assertThat(h.run(new OpenSession(3_600_000, 0))).isInstanceOf(Result.SessionOpened.class);
    }

    @Test
    void theNumberOfSessionsIsBounded() {
        for (int i = 0; i < 3; i++) {
            h.openSession();
        }
        assertThat(h.error(new OpenSession(15_000, 0))).isEqualTo(ErrorCode.OVERLOADED);
    }

    @Test
    void timePassingAloneExpiresNothing() {
        long s = h.openSession(2_000, 0);
        h.advance(60_000);
        h.put("k", "v");
        assertThat(h.sm.session(s)).isPresent();
        assertThat(h.sm.dueSessionExpiries(h.time)).containsExactly(s);
    }

    @Test
    void aSessionExpiresAtItsDeadlineAndNotBefore() {
        long s = h.openSession(2_000, 0);
        h.advance(1_999);
        assertThat(h.sm.dueSessionExpiries(h.time)).isEmpty();
        assertThat(h.run(new ExpireSessions(List.of(s)))).isEqualTo(new SessionsExpired(List.of()));
        h.advance(1);
        Applied expired = h.apply(new ExpireSessions(List.of(s)));
        assertThat(expired.result()).isEqualTo(new SessionsExpired(List.of(s)));
        assertThat(expired.events()).containsExactly(new Event(expired.index(), EventType.SESSION_EXPIRED, "", 0, s, 0));
        assertThat(h.error(new KeepAlive(s))).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void aKeepaliveAppliedBeforeTheExpiryWins() {
        long s = h.openSession(2_000, 0);
        h.advance(2_000);
        List<Command> due = h.sm.dueWork(h.time);
        assertThat(h.run(new KeepAlive(s))).isEqualTo(new Result.SessionRenewed(s, 2_000, 2_000));
        for (Command c : due) {
            assertThat(h.run(c)).isEqualTo(new SessionsExpired(List.of()));
        }
        assertThat(h.sm.session(s).orElseThrow().expiresAt()).isEqualTo(h.time + 2_000);
    }

    @Test
    void clusterTimeNeverGoesBackwards() {
        long s = h.openSession(2_000, 0);
        h.advance(5_000);
        h.put("k", "v");
        long clusterTime = h.sm.clusterTime();
        h.time -= 4_000; // a new leader whose clock is behind
        h.run(new KeepAlive(s));
        assertThat(h.sm.clusterTime()).isEqualTo(clusterTime);
        assertThat(h.sm.session(s).orElseThrow().expiresAt()).isEqualTo(clusterTime + 2_000);
    }

    @Test
    void aNewLeaderGivesEverySessionAFreshTtl() {
        long s1 = h.openSession(2_000, 0);
        long s2 = h.openSession(10_000, 0);
        h.advance(1_900);
        assertThat(h.run(new LeaderChanged())).isEqualTo(new Result.SessionsRenewed(2));
        assertThat(h.sm.session(s1).orElseThrow().expiresAt()).isEqualTo(h.time + 2_000);
        assertThat(h.sm.session(s2).orElseThrow().expiresAt()).isEqualTo(h.time + 10_000);
        h.advance(1_999);
        assertThat(h.sm.dueWork(h.time)).isEmpty();
    }

    @Test
    void closingAnUnknownSessionIsNotFound() {
        assertThat(h.error(new CloseSession(77))).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        long s = h.openSession();
        assertThat(h.run(new CloseSession(s))).isEqualTo(new Result.SessionClosed(s));
        assertThat(h.error(new CloseSession(s))).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void nextDeadlineNamesTheEarliestWork() {
        assertThat(h.sm.nextDeadline()).isEmpty();
        long s1 = h.openSession(5_000, 0);
        long s2 = h.openSession(60_000, 0);
        assertThat(h.sm.nextDeadline()).hasValue(h.time + 5_000);
        h.grant("l", s2, LockMode.EXCLUSIVE);
        h.acquire("l", s1, LockMode.EXCLUSIVE, 1_000);
        assertThat(h.sm.nextDeadline()).hasValue(h.time + 1_000);
    }

    @Test
    void sessionViewsListLocksWaitsAndEphemeralKeys() {
        long s1 = h.openSession();
        long s2 = h.openSession();
        h.grant("b", s1, LockMode.EXCLUSIVE);
        h.grant("a", s1, LockMode.SHARED);
        h.grant("c", s2, LockMode.EXCLUSIVE);
        h.acquire("c", s1, LockMode.EXCLUSIVE, 1_000);
        h.run(new Command.Put("e", new byte[0], Command.ANY_VERSION, s1, null));
        SessionView view = h.sm.session(s1).orElseThrow();
        assertThat(view.locks()).containsExactly("a", "b");
        assertThat(view.waiting()).containsExactly("c");
        assertThat(view.ephemeralKeys()).containsExactly("e");
        assertThat(h.sm.sessions()).extracting(SessionView::id).containsExactly(s1, s2);
        assertThat(h.sm.stats()).isEqualTo(new CoordStateMachine.Stats(1, 2, 3, 1));
    }
}
