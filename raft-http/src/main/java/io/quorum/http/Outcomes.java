package io.quorum.http;

import io.quorum.coord.Result;
import io.quorum.server.Consistency;
import io.quorum.server.CoordinationService;
import io.vertx.core.Future;

/** What handlers share after validation: turning results into answers or errors. */
final class Outcomes {

    private Outcomes() {}

    /**
     * The result of an applied command as the type its command answers with.
     *
     * @throws ApiException the refusal when the state machine refused the command
     */
    static <T extends Result> T expect(Result result, Class<T> type) {
        if (result instanceof Result.Failure failure) {
            throw ErrorMapping.of(failure);
        }
        if (!type.isInstance(result)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + ", the state machine answered " + result);
        }
        return type.cast(result);
    }

    /**
     * Fails with 404 SESSION_NOT_FOUND, without proposing anything, when this node's replica proves
     * that session {@code id} is gone: the entry at its index (a session's id is the index of the
     * entry that opened it) has been applied here and no such session is open. A session with a
     * higher id may have been opened on the leader already, so it is left to the state machine.
     */
    static Future<Void> requireSessionMayExist(CoordinationService service, long id) {
        return service.read(Consistency.STALE, m -> id <= m.appliedIndex() && m.session(id).isEmpty())
                .compose(gone -> gone
                        ? Future.failedFuture(new ApiException(404, "SESSION_NOT_FOUND",
                                "no session " + id + " (it never existed, was closed or expired)"))
                        : Future.succeededFuture());
    }
}
