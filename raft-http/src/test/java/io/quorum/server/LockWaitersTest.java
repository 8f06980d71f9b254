package io.quorum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.LockMode;
import io.quorum.coord.Result;
import io.quorum.coord.WaitRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waiters registry fed by a replica's applies, without a node. */
class LockWaitersTest {

    private final LockWaiters waiters = new LockWaiters();
    private final CoordReplica replica = new CoordReplica(CoordConfig.DEFAULTS, waiters);
    private final List<LockWaiters.Outcome> seen = new ArrayList<>();
    private long index;
    private long time = 1_000;

    private Applied apply(Command c) {
        return replica.apply(++index, time, CoordReplica.payloadOf(c));
    }

    private LockWaiters.Ticket ticket;

    /** {@code holder} takes "k"; {@code waiter} opens its ticket and queues behind it. */
    private Applied queueBehind(long holder, long waiter, long waitMillis) {
        apply(new Command.Acquire("k", holder, LockMode.EXCLUSIVE, 0));
        ticket = waiters.open(new WaitRef("k", waiter));
        Applied queued = apply(new Command.Acquire("k", waiter, LockMode.EXCLUSIVE, waitMillis));
        assertThat(queued.result()).isInstanceOf(Result.LockQueued.class);
        return queued;
    }

    private long session() {
        return ((Result.SessionOpened) apply(new Command.OpenSession(30_000, 0)).result()).session();
    }

    @Test
    void aGrantAppliedBeforeTheRequestAwaitsIsKeptForIt() {
        long a = session();
        long b = session();
        Applied queued = queueBehind(a, b, 5_000);
        Applied released = apply(new Command.Release("k", a));

        ticket.awaitAfter(queued.index(), seen::add);

        assertThat(seen).containsExactly(new LockWaiters.Outcome(released.index(), LockWaiters.Kind.GRANTED,
                released.index(), List.of()));
        assertThat(waiters.openTickets()).isZero();
    }

    @Test
    void aWaitThatExpiresIsCancelledWithTheHolders() {
        long a = session();
        long b = session();
        long token = ((Result.LockGranted) apply(new Command.Acquire("k", a, LockMode.EXCLUSIVE, 0)).result()).token();
        LockWaiters.Ticket ticket = waiters.open(new WaitRef("k", b));
        Applied queued = apply(new Command.Acquire("k", b, LockMode.EXCLUSIVE, 100));
        ticket.awaitAfter(queued.index(), seen::add);
        assertThat(seen).isEmpty();

        time += 200;
        apply(new Command.ExpireWaits(List.of(new WaitRef("k", b))));

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).kind()).isEqualTo(LockWaiters.Kind.CANCELLED);
        assertThat(seen.get(0).holders()).extracting(h -> h.token()).containsExactly(token);
    }

    @Test
    void theSessionEndingEndsItsWaitAndEarlierOutcomesAreIgnored() {
        long a = session();
        long b = session();
        apply(new Command.Acquire("k", a, LockMode.EXCLUSIVE, 0));
        LockWaiters.Ticket ticket = waiters.open(new WaitRef("k", b));
        apply(new Command.CancelWait("k", b));
        Applied queued = apply(new Command.Acquire("k", b, LockMode.EXCLUSIVE, 5_000));
        ticket.awaitAfter(queued.index(), seen::add);
        assertThat(seen).as("the cancel before the acquire is not its outcome").isEmpty();

        Applied closed = apply(new Command.CloseSession(b));

        assertThat(seen).containsExactly(new LockWaiters.Outcome(closed.index(), LockWaiters.Kind.SESSION_ENDED, 0,
                List.of()));
    }

    @Test
    void theRegistryIsBounded() {
        for (int i = 0; i < LockWaiters.MAX_TICKETS; i++) {
            assertThat(waiters.open(new WaitRef("k", i + 1))).isNotNull();
        }
        assertThat(waiters.open(new WaitRef("k", 0))).isNull();
    }

    @Test
    void aGrantInsideAnInstalledSnapshotIsReadFromItsState() {
        long a = session();
        long b = session();
        Applied queued = queueBehind(a, b, 5_000);
        ticket.awaitAfter(queued.index(), seen::add);
        CoordReplica leader = new CoordReplica(CoordConfig.DEFAULTS);
        leader.restore(replica.snapshot());
        leader.apply(++index, time, CoordReplica.payloadOf(new Command.Release("k", a)));
        assertThat(seen).isEmpty();

        replica.restore(leader.snapshot());

        assertThat(seen).containsExactly(new LockWaiters.Outcome(index, LockWaiters.Kind.GRANTED, index, List.of()));
    }
}
