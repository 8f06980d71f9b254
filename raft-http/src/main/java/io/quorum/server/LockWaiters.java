package io.quorum.server;

import io.quorum.coord.Applied;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.Event;
import io.quorum.coord.EventType;
import io.quorum.coord.LockView;
import io.quorum.coord.Result;
import io.quorum.coord.WaitRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The queued lock requests this node's HTTP clients wait on ({@code io.quorum.coord} package note
 * 5). A request opens a {@link Ticket} for its (key, session) <em>before</em> it proposes its
 * {@code Acquire}, so no later entry can slip by unseen; {@link #applied} runs on the apply thread
 * for every entry and offers each ticket the outcomes that concern it: a {@code lock} event
 * (granted), a {@link Result.WaitsCancelled} naming it (LOCK_HELD), or its session closing or
 * expiring. Once the {@code Acquire} has applied at index i, {@link Ticket#awaitAfter} takes the
 * first outcome after i, buffered or still to come.
 *
 * <p>Bounded: at most {@link #MAX_TICKETS} open tickets; a request beyond that is refused
 * OVERLOADED before anything is proposed. Each entry scans the open tickets only when it ended a
 * wait or a session, which the bound keeps cheap. A ticket is closed when its request ends.
 */
final class LockWaiters {

    static final int MAX_TICKETS = 10_000;
    /** Outcomes a ticket keeps before its own index is known; only a retry race produces any. */
    private static final int MAX_BUFFERED = 32;

    enum Kind { GRANTED, CANCELLED, SESSION_ENDED }

    /** How a queued request ended, at log index {@code index}; holders for CANCELLED. */
    record Outcome(long index, Kind kind, long token, List<LockView.Holder> holders) {}

    private final Set<Ticket> open = ConcurrentHashMap.newKeySet();

    /** A ticket for {@code ref}, or null when {@link #MAX_TICKETS} are open. */
    Ticket open(WaitRef ref) {
        if (open.size() >= MAX_TICKETS) {
            return null;
        }
        Ticket t = new Ticket(ref);
        open.add(t);
        return t;
    }

    int openTickets() {
        return open.size();
    }

    /** On the apply thread, under the replica's lock: {@code machine} is the state after {@code a}. */
    void applied(Applied a, CoordStateMachine machine) {
        if (open.isEmpty()) {
            return;
        }
        for (Event e : a.events()) {
            if (e.type() == EventType.LOCK) {
                offer(new WaitRef(e.key(), e.session()), new Outcome(a.index(), Kind.GRANTED, e.token(), List.of()));
            }
        }
        if (a.result() instanceof Result.WaitsCancelled w) {
            for (WaitRef ref : w.waits()) {
                List<LockView.Holder> holders = machine.lock(ref.key()).map(LockView::holders).orElse(List.of());
                offer(ref, new Outcome(a.index(), Kind.CANCELLED, 0, holders));
            }
        } else if (a.result() instanceof Result.SessionClosed c) {
            endSession(c.session(), a.index());
        } else if (a.result() instanceof Result.SessionsExpired x) {
            x.sessions().forEach(s -> endSession(s, a.index()));
        }
    }

    /**
     * After this replica installed a snapshot, under the replica's lock: the entries it covers
     * were never applied here, so each ticket whose wait ended inside them is offered that end as
     * the state shows it, at the snapshot's index. A ticket still queued there waits on.
     */
    void restored(CoordStateMachine machine) {
        for (Ticket t : open) {
            Outcome o = outcomeInState(t.ref, machine);
            if (o != null) {
                t.offer(o);
            }
        }
    }

    private static Outcome outcomeInState(WaitRef ref, CoordStateMachine machine) {
        long index = machine.appliedIndex();
        if (machine.session(ref.session()).isEmpty()) {
            return new Outcome(index, Kind.SESSION_ENDED, 0, List.of());
        }
        Optional<LockView> lock = machine.lock(ref.key());
        List<LockView.Holder> holders = lock.map(LockView::holders).orElse(List.of());
        for (LockView.Holder h : holders) {
            if (h.session() == ref.session()) {
                return new Outcome(index, Kind.GRANTED, h.token(), List.of());
            }
        }
        boolean queued = lock.map(l -> l.waiters().stream().anyMatch(w -> w.session() == ref.session())).orElse(false);
        return queued ? null : new Outcome(index, Kind.CANCELLED, 0, holders);
    }

    private void endSession(long session, long index) {
        for (Ticket t : open) {
            if (t.ref.session() == session) {
                t.offer(new Outcome(index, Kind.SESSION_ENDED, 0, List.of()));
            }
        }
    }

    private void offer(WaitRef ref, Outcome outcome) {
        for (Ticket t : open) {
            if (t.ref.equals(ref)) {
                t.offer(outcome);
            }
        }
    }

    /** One waiting request's view of the log. */
    final class Ticket {

        private final WaitRef ref;
        private final List<Outcome> buffered = new ArrayList<>();
        private long afterIndex = -1;
        private Consumer<Outcome> onOutcome;
        private boolean done;

        private Ticket(WaitRef ref) {
            this.ref = ref;
        }

        /** Calls {@code then} once, with the first outcome after {@code index} (perhaps at once). */
        void awaitAfter(long index, Consumer<Outcome> then) {
            Outcome ready = null;
            synchronized (this) {
                afterIndex = index;
                onOutcome = then;
                for (Outcome o : buffered) {
                    if (o.index() > index) {
                        ready = o;
                        break;
                    }
                }
                buffered.clear();
                if (ready != null) {
                    done = true;
                }
            }
            if (ready != null) {
                close();
                then.accept(ready);
            }
        }

        private void offer(Outcome o) {
            Consumer<Outcome> then;
            synchronized (this) {
                if (done) {
                    return;
                }
                if (onOutcome == null) {
                    if (buffered.size() < MAX_BUFFERED) {
                        buffered.add(o);
                    }
                    return;
                }
                if (o.index() <= afterIndex) {
                    return;
                }
                done = true;
                then = onOutcome;
            }
            close();
            then.accept(o);
        }

        /** Forgets this ticket; its request has ended. */
        void close() {
            open.remove(this);
        }
    }
}
