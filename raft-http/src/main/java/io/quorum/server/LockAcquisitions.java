package io.quorum.server;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.ErrorCode;
import io.quorum.coord.Result;
import io.quorum.coord.WaitRef;
import io.quorum.raft.node.NodeException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Lock requests that may wait: proposes an {@code Acquire} and, when it is queued, completes once
 * the log says how the wait ended ({@link LockWaiters}). Nothing blocks: the outcome arrives on
 * the apply thread and is handed to the caller's Vert.x context.
 *
 * <p>A backstop: should the outcome never be seen here (an entry lost between a failed proposal's
 * retry and a snapshot, say), the request ends {@link #GRACE_MILLIS} after its wait with the
 * node's TIMEOUT (504: the outcome is unknown to this node; the lock's state tells). A snapshot
 * install itself is covered: {@link LockWaiters#restored} reads the outcomes it holds.
 */
final class LockAcquisitions {

    static final long GRACE_MILLIS = 30_000;

    private final Function<Command, CompletableFuture<Applied>> propose;
    private final LockWaiters waiters;

    LockAcquisitions(Function<Command, CompletableFuture<Applied>> propose, LockWaiters waiters) {
        this.propose = propose;
        this.waiters = waiters;
    }

    Future<Result> acquire(Command.Acquire a, Context caller) {
        LockWaiters.Ticket ticket = null;
        if (a.waitMillis() > 0) {
            ticket = waiters.open(new WaitRef(a.key(), a.session()));
            if (ticket == null) {
                return Future.succeededFuture(new Result.Failure(ErrorCode.OVERLOADED, LockWaiters.MAX_TICKETS
                        + " lock requests already wait on this node, the limit", List.of()));
            }
        }
        LockWaiters.Ticket t = ticket;
        Promise<Result> answer = Promise.promise();
        propose.apply(a).whenComplete((applied, failure) -> {
            if (failure != null || !(applied.result() instanceof Result.LockQueued queued)) {
                if (t != null) {
                    t.close();
                }
                caller.runOnContext(v -> {
                    if (failure != null) {
                        answer.fail(failure);
                    } else {
                        answer.complete(applied.result());
                    }
                });
                return;
            }
            long timer = caller.owner().setTimer(a.waitMillis() + GRACE_MILLIS, id -> caller.runOnContext(v -> {
                t.close();
                answer.tryFail(new NodeException(NodeException.Kind.TIMEOUT,
                        "no outcome of the queued request for " + a.key() + " was seen on this node"));
            }));
            t.awaitAfter(applied.index(), outcome -> caller.runOnContext(v -> {
                caller.owner().cancelTimer(timer);
                answer.tryComplete(resultOf(queued, outcome));
            }));
        });
        return answer.future();
    }

    private static Result resultOf(Result.LockQueued q, LockWaiters.Outcome outcome) {
        return switch (outcome.kind()) {
            case GRANTED -> new Result.LockGranted(q.key(), q.mode(), q.session(), outcome.token());
            case CANCELLED -> new Result.Failure(ErrorCode.LOCK_HELD, q.key() + " was not granted within the wait",
                    outcome.holders());
            case SESSION_ENDED -> new Result.Failure(ErrorCode.SESSION_NOT_FOUND, "session " + q.session()
                    + " was closed or expired while it waited for " + q.key(), List.of());
        };
    }
}
