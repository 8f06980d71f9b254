package io.quorum.server;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CommandCodec;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.MalformedPayloadException;
import io.quorum.coord.StampedCommand;
import io.quorum.raft.node.StateMachine;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * This node's replica of the coordination state machine, as the {@link StateMachine} that
 * {@code RaftNode} applies on its apply thread.
 *
 * <p><b>Cluster time.</b> {@code RaftNode} stamps every entry with the leader's clock when the
 * leader appends it, and hands that stamp to {@link #apply}. Proposers therefore send the bare
 * command ({@link #payloadOf}: its encoding with a zero stamp) and this class puts the node's
 * stamp into the {@link StampedCommand} it applies, so that a follower's clock never enters the
 * state. A payload that does not decode is given to the state machine as it is, which answers
 * INVALID_ARGUMENT on every replica alike.
 *
 * <p><b>Threads.</b> Applies run on the node's apply thread; HTTP reads run elsewhere. Every
 * access holds one lock, each for one entry or one read, so a read sees the state between two
 * entries, never inside one. Rejected alternative: running reads on the apply thread would need
 * a way into RaftNode's private executor and would queue reads behind a long apply backlog.
 * Callers must not wait for the lock on a Vert.x event loop: a snapshot holds it while it
 * serializes the whole state. {@link CoordinationService} reads on the event loop when the lock is
 * free ({@link #tryRead}, which never waits) and on a worker thread otherwise.
 */
final class CoordReplica implements StateMachine<Applied> {

    private final CoordConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final LockWaiters waiters;
    private final EventWatchers watchers = new EventWatchers();
    private final AppliedObserver observer;
    private CoordStateMachine machine;
    /** The counts of {@link #stats()}, as last read. */
    private volatile CoordStateMachine.Stats lastStats = new CoordStateMachine.Stats(0, 0, 0, 0);

    CoordReplica(CoordConfig config) {
        this(config, new LockWaiters());
    }

    /** @param waiters told of every applied entry, on the apply thread, before the next one applies */
    CoordReplica(CoordConfig config, LockWaiters waiters) {
        this(config, waiters, AppliedObserver.NONE);
    }

    /** @param observer told of every applied entry and installed snapshot, like {@code waiters} */
    CoordReplica(CoordConfig config, LockWaiters waiters, AppliedObserver observer) {
        this.config = config;
        this.waiters = waiters;
        this.observer = observer;
        this.machine = new CoordStateMachine(config);
    }

    LockWaiters waiters() {
        return waiters;
    }

    /** The parked watches, woken by applied entries' events. */
    EventWatchers watchers() {
        return watchers;
    }

    /** The bytes to propose for {@code command}; the leader's node adds the time stamp. */
    static byte[] payloadOf(Command command) {
        return CommandCodec.encode(new StampedCommand(0, command));
    }

    @Override
    public Applied apply(long index, long leaderTimeMillis, byte[] command) {
        lock.lock();
        try {
            Applied applied = applyHere(index, leaderTimeMillis, command);
            waiters.applied(applied, machine);
            watchers.applied(applied);
            observer.applied(applied, machine.clusterTime());
            return applied;
        } finally {
            lock.unlock();
        }
    }

    private Applied applyHere(long index, long leaderTimeMillis, byte[] command) {
        StampedCommand proposed;
        try {
            proposed = CommandCodec.decode(command);
        } catch (MalformedPayloadException e) {
            return machine.apply(index, command);
        }
        return machine.apply(index, new StampedCommand(Math.max(0, leaderTimeMillis), proposed.command()));
    }

    @Override
    public byte[] snapshot() {
        return read(CoordStateMachine::snapshot);
    }

    @Override
    public void restore(byte[] snapshot) {
        lock.lock();
        try {
            if (snapshot.length == 0) {
                machine = new CoordStateMachine(config);
            } else {
                machine.restore(snapshot);
            }
            waiters.restored(machine);
            watchers.restored();
            observer.restored();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The state's counts (keys, sessions, locks held, queued requests) for metrics gauges, without
     * waiting: when an apply or a snapshot holds the state, the counts last read are returned.
     */
    CoordStateMachine.Stats stats() {
        if (lock.tryLock()) {
            try {
                lastStats = machine.stats();
            } finally {
                lock.unlock();
            }
        }
        return lastStats;
    }

    /**
     * Runs {@code query} at once and hands its answer to {@code answer} if no apply or snapshot
     * holds the state at this instant; returns false, without running it, if one does. Never waits,
     * so an event loop may call it (then {@code query} must be as cheap as encoding its answer).
     */
    <T> boolean tryRead(Function<CoordStateMachine, T> query, Consumer<T> answer) {
        if (!lock.tryLock()) {
            return false;
        }
        T result;
        try {
            result = query.apply(machine);
        } finally {
            lock.unlock();
        }
        answer.accept(result);
        return true;
    }

    /** Runs a query between two applies; {@code query} must not keep references into the state. */
    <T> T read(Function<CoordStateMachine, T> query) {
        lock.lock();
        try {
            return query.apply(machine);
        } finally {
            lock.unlock();
        }
    }
}
