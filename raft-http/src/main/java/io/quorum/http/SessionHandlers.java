package io.quorum.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorum.coord.Command;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.Result;
import io.quorum.coord.SessionView;
import io.quorum.server.Consistency;
import io.quorum.server.CoordinationService;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** {@code /v1/sessions}: the liveness of a client (API.md, "Sessions"). */
final class SessionHandlers {

    static final long DEFAULT_TTL_MILLIS = 15_000;
    private static final Set<String> OPEN_FIELDS = Set.of("ttl", "lockDelay");

    private final CoordinationService service;

    SessionHandlers(CoordinationService service) {
        this.service = service;
    }

    /** {@code POST /v1/sessions {"ttl":"15s","lockDelay":"0s"}}: 201 {@code {"id","ttl","lockDelay"}}. */
    void open(RoutingContext ctx) {
        ObjectNode body = JsonResponses.bodyObject(ctx);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OPEN_FIELDS.contains(name)) {
                throw ApiException.invalid("unknown field '" + name + "': a session takes ttl and lockDelay");
            }
        }
        long ttl = Durations.millis(body.get("ttl"), "ttl", DEFAULT_TTL_MILLIS);
        long lockDelay = Durations.millis(body.get("lockDelay"), "lockDelay", 0);
        if (ttl < CoordConfig.MIN_TTL_MILLIS || ttl > CoordConfig.MAX_TTL_MILLIS) {
            throw ApiException.invalid("ttl must be 1s to 1h: " + Durations.format(ttl));
        }
        if (lockDelay > CoordConfig.MAX_LOCK_DELAY_MILLIS) {
            throw ApiException.invalid("lockDelay must be 0s to " + Durations.format(CoordConfig.MAX_LOCK_DELAY_MILLIS)
                    + ": " + Durations.format(lockDelay));
        }
        service.propose(new Command.OpenSession(ttl, lockDelay))
                .map(r -> Outcomes.expect(r, Result.SessionOpened.class))
                .onSuccess(s -> JsonResponses.send(ctx, 201, new Opened(s.session(), Durations.format(s.ttlMillis()),
                        Durations.format(s.lockDelayMillis()))))
                .onFailure(ctx::fail);
    }

    /** {@code POST /v1/sessions/{id}/keepalive}: 200 {@code {"id","ttl","expiresInMs"}}. */
    void keepAlive(RoutingContext ctx) {
        long id = RequestParams.sessionId(ctx.pathParam("id"));
        Outcomes.requireSessionMayExist(service, id)
                .compose(v -> service.propose(new Command.KeepAlive(id)))
                .map(r -> Outcomes.expect(r, Result.SessionRenewed.class))
                .onSuccess(s -> JsonResponses.send(ctx, 200, new Renewed(s.session(), Durations.format(s.ttlMillis()),
                        s.expiresInMs())))
                .onFailure(ctx::fail);
    }

    /** {@code DELETE /v1/sessions/{id}}: releases its locks and deletes its ephemeral keys. */
    void close(RoutingContext ctx) {
        long id = RequestParams.sessionId(ctx.pathParam("id"));
        Outcomes.requireSessionMayExist(service, id)
                .compose(v -> service.propose(new Command.CloseSession(id)))
                .map(r -> Outcomes.expect(r, Result.SessionClosed.class))
                .onSuccess(s -> JsonResponses.send(ctx, 200, new Closed(s.session(), true)))
                .onFailure(ctx::fail);
    }

    /** {@code GET /v1/sessions/{id}}. */
    void get(RoutingContext ctx) {
        long id = RequestParams.sessionId(ctx.pathParam("id"));
        Consistency consistency = RequestParams.consistency(ctx);
        service.read(consistency, m -> m.session(id).map(s -> SessionJson.of(s, m.clusterTime())))
                .onSuccess(found -> {
                    if (found.isPresent()) {
                        JsonResponses.send(ctx, 200, found.get());
                    } else {
                        ctx.fail(new ApiException(404, "SESSION_NOT_FOUND", "no session " + id));
                    }
                })
                .onFailure(t -> ctx.fail(ErrorMapping.forRead(t)));
    }

    /** {@code GET /v1/sessions}: {@code {"sessions":[…]}} in id order. */
    void list(RoutingContext ctx) {
        Consistency consistency = RequestParams.consistency(ctx);
        service.read(consistency, m -> m.sessions().stream().map(s -> SessionJson.of(s, m.clusterTime())).toList())
                .onSuccess(sessions -> JsonResponses.send(ctx, 200, new SessionList(sessions)))
                .onFailure(t -> ctx.fail(ErrorMapping.forRead(t)));
    }

    record Opened(long id, String ttl, String lockDelay) {}

    record Renewed(long id, String ttl, long expiresInMs) {}

    record Closed(long id, boolean closed) {}

    record SessionList(List<SessionJson> sessions) {}

    /** {@code expiresInMs} is measured in cluster time, as the replica last saw it. */
    record SessionJson(long id, String ttl, String lockDelay, long expiresInMs, List<String> locks,
                       List<String> waiting, List<String> ephemeralKeys) {

        static SessionJson of(SessionView s, long clusterTime) {
            return new SessionJson(s.id(), Durations.format(s.ttlMillis()), Durations.format(s.lockDelayMillis()),
                    Math.max(0, s.expiresAt() - clusterTime), s.locks(), s.waiting(), s.ephemeralKeys());
        }
    }
}
