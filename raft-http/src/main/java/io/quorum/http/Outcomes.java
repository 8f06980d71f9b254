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
     * Fails with 404 SESSION_NOT_FOUND, without proposing anything, when session {@code id} is
     * absent. First from this node's replica as it is: a session's id is the index of the entry
     * that opened it, so once that index is applied here, absence is final. A higher id may name a
     * session the leader opened that this node has not applied yet; then absence after a read
     * barrier decides: a session acknowledged to anyone before this request began is visible there,
     * so answering 404 is linearizable.
     */
    static Future<Void> requireSessionMayExist(CoordinationService service, long id) {
        return service.read(Consistency.STALE, m -> m.session(id).isPresent() ? Presence.PRESENT
                        : id <= m.appliedIndex() ? Presence.GONE : Presence.NOT_YET_KNOWN)
                .compose(presence -> switch (presence) {
                    case PRESENT -> Future.succeededFuture(true);
                    case GONE -> Future.succeededFuture(false);
                    case NOT_YET_KNOWN -> service.read(Consistency.LINEARIZABLE, m -> m.session(id).isPresent())
                            .recover(t -> Future.failedFuture(ErrorMapping.forRead(t)));
                })
                .compose(present -> present
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new ApiException(404, "SESSION_NOT_FOUND",
                                "no session " + id + " (it never existed, was closed or expired)")));
    }

    private enum Presence { PRESENT, GONE, NOT_YET_KNOWN }
}
