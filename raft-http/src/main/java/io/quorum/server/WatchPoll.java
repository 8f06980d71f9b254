package io.quorum.server;

import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.Event;
import io.quorum.coord.EventPage;
import io.quorum.raft.node.NodeException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

/**
 * One long poll: the events after {@code afterIndex} under {@code prefix}, waiting up to its wait
 * for the first. Its state is touched only on the caller's context (a handler's event loop): the
 * wake of its parked watcher and its timer come back there; reads of the replica run on a worker.
 *
 * <p>No event is lost between a read and the wait: each attempt parks its watcher first and reads
 * after, so an entry that applies after the read wakes the watcher, and one that applied before is
 * in the read. A wake may be spurious (the read already had the event); the next read answers it.
 */
final class WatchPoll {

    /** Events per answer at most; a page is never cut inside one index. */
    static final int PAGE_LIMIT = 1_000;

    private final CoordReplica replica;
    private final Context caller;
    private final long afterIndex;
    private final String prefix;
    private final Promise<WatchPage> result = Promise.promise();
    private EventWatchers.Watcher parked;
    private long timer = -1;

    private WatchPoll(CoordReplica replica, Context caller, long afterIndex, String prefix) {
        this.replica = replica;
        this.caller = caller;
        this.afterIndex = afterIndex;
        this.prefix = prefix;
    }

    /** Starts a poll on {@code caller}; {@code abandoned} (the client left) ends it and frees its place. */
    static Future<WatchPage> start(CoordReplica replica, Context caller, long afterIndex, String prefix,
                                   long waitMillis, Future<Void> abandoned) {
        WatchPoll poll = new WatchPoll(replica, caller, afterIndex, prefix);
        caller.runOnContext(v -> poll.begin(waitMillis, abandoned));
        return poll.result.future();
    }

    /** The page after {@code after} under {@code prefix}, read under the replica's lock. */
    static WatchPage page(CoordStateMachine m, long after, String prefix) {
        EventPage p = m.eventsAfter(after, prefix, PAGE_LIMIT);
        List<Event> events = p.events();
        long index = events.size() >= PAGE_LIMIT ? events.get(events.size() - 1).index() : Math.max(after, m.appliedIndex());
        return new WatchPage(p.compacted() ? m.appliedIndex() : index, events, p.compacted());
    }

    private void begin(long waitMillis, Future<Void> abandoned) {
        abandoned.onComplete(v -> fail(new NodeException(NodeException.Kind.STOPPED, "the client left")));
        if (waitMillis > 0) {
            timer = caller.owner().setTimer(waitMillis, id -> {
                timer = -1;
                finalRead();
            });
            attempt();
        } else {
            finalRead();
        }
    }

    private void attempt() {
        if (result.future().isComplete()) {
            return;
        }
        parked = replica.watchers().park(afterIndex, prefix, () -> caller.runOnContext(v -> attempt()));
        if (parked == null) {
            fail(new NodeException(NodeException.Kind.OVERLOADED, EventWatchers.MAX_WATCHERS
                    + " watches are already waiting on this node"));
            return;
        }
        read().onSuccess(page -> {
            if (page.compacted() || !page.events().isEmpty()) {
                finish(page);
            }
        }).onFailure(this::fail);
    }

    private void finalRead() {
        if (!result.future().isComplete()) {
            read().onSuccess(this::finish).onFailure(this::fail);
        }
    }

    private Future<WatchPage> read() {
        return caller.executeBlocking(() -> replica.read(m -> page(m, afterIndex, prefix)), false);
    }

    private void finish(WatchPage page) {
        stopWaiting();
        result.tryComplete(page);
    }

    private void fail(Throwable failure) {
        stopWaiting();
        result.tryFail(failure);
    }

    private void stopWaiting() {
        if (parked != null) {
            parked.cancel();
            parked = null;
        }
        if (timer >= 0) {
            caller.owner().cancelTimer(timer);
            timer = -1;
        }
    }
}
