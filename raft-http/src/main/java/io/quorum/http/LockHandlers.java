package io.quorum.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorum.coord.Command;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.KeySyntax;
import io.quorum.coord.LockMode;
import io.quorum.coord.Result;
import io.quorum.server.Consistency;
import io.quorum.server.CoordinationService;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/locks/{key}}: advisory locks with fencing tokens (API.md, "Locks").
 *
 * <p>A request that waits in the lock's queue and whose client disconnects proposes a
 * {@code CancelWait}, so its place in the replicated queue is given up at once rather than at its
 * wait deadline.
 */
final class LockHandlers {

    static final String PREFIX = "/v1/locks/";
    private static final String CHECK_SUFFIX = "/check";
    private static final Set<String> ACQUIRE_FIELDS = Set.of("session", "mode", "wait");

    private final CoordinationService service;

    LockHandlers(CoordinationService service) {
        this.service = service;
    }

    /** {@code POST /v1/locks/{key} {"session","mode","wait"}}: 200 {@code {"key","mode","session","token"}}. */
    void acquire(RoutingContext ctx) {
        String key = RequestParams.key(ctx, PREFIX);
        ObjectNode body = JsonResponses.bodyObject(ctx);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ACQUIRE_FIELDS.contains(name)) {
                throw ApiException.invalid("unknown field '" + name + "': an acquire takes session, mode and wait");
            }
        }
        long session = sessionOf(body.get("session"));
        LockMode mode = modeOf(body.get("mode"));
        long wait = Durations.millis(body.get("wait"), "wait", 0);
        if (wait > CoordConfig.MAX_WAIT_MILLIS) {
            throw ApiException.invalid("wait must be 0s to " + Durations.format(CoordConfig.MAX_WAIT_MILLIS) + ": "
                    + Durations.format(wait));
        }
        Command.Acquire acquire = new Command.Acquire(key, session, mode, wait);
        if (wait > 0) {
            ctx.response().closeHandler(v -> {
                if (!ctx.response().ended()) {
                    service.propose(new Command.CancelWait(key, session));
                }
            });
        }
        Outcomes.requireSessionMayExist(service, session)
                .compose(v -> service.acquire(acquire))
                .map(r -> Outcomes.expect(r, Result.LockGranted.class))
                .onSuccess(g -> JsonResponses.send(ctx, 200, new Granted(g.key(), g.mode().apiName(), g.session(),
                        g.token())))
                .onFailure(ctx::fail);
    }

    /** {@code DELETE /v1/locks/{key}?session=<id>}: 200 {@code {"released"}}. */
    void release(RoutingContext ctx) {
        String key = RequestParams.key(ctx, PREFIX);
        String text = RequestParams.single(ctx, "session");
        if (text == null) {
            throw ApiException.invalid("a release needs ?session=<id>");
        }
        long session = RequestParams.sessionId(text);
        Outcomes.requireSessionMayExist(service, session)
                .compose(v -> service.propose(new Command.Release(key, session)))
                .map(r -> Outcomes.expect(r, Result.LockReleased.class))
                .onSuccess(r -> JsonResponses.send(ctx, 200, r))
                .onFailure(ctx::fail);
    }

    /** {@code GET /v1/locks/{key}} and {@code GET /v1/locks/{key}/check?token=<n>}. */
    void get(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path != null && path.endsWith(CHECK_SUFFIX) && ctx.queryParams().contains("token")) {
            check(ctx);
            return;
        }
        String key = RequestParams.key(ctx, PREFIX);
        Consistency consistency = RequestParams.consistency(ctx);
        service.read(consistency, m -> m.lock(key))
                .onSuccess(found -> JsonResponses.send(ctx, 200, found.map(KvHandlers.LockJson::of)
                        .orElseGet(() -> new KvHandlers.LockJson(key, null, List.of(), List.of()))))
                .onFailure(t -> ctx.fail(ErrorMapping.forRead(t)));
    }

    /** {@code GET /v1/locks/{key}/check?token=<n>}: 200 {@code {"valid":true}}, else 409 FENCED. */
    private void check(RoutingContext ctx) {
        String path = ctx.request().path();
        String key = keyOf(path.substring(PREFIX.length(), path.length() - CHECK_SUFFIX.length()));
        String text = RequestParams.single(ctx, "token");
        long token = RequestParams.positiveId(text, "a token");
        Consistency consistency = RequestParams.consistency(ctx);
        service.read(consistency, m -> m.checkToken(key, token))
                .onSuccess(valid -> {
                    if (valid) {
                        JsonResponses.send(ctx, 200, new Valid(true));
                    } else {
                        ctx.fail(new ApiException(409, "FENCED", "token " + token + " is not the current grant of " + key));
                    }
                })
                .onFailure(t -> ctx.fail(ErrorMapping.forRead(t)));
    }

    private static String keyOf(String key) {
        String problem = KeySyntax.problem(key);
        if (problem != null) {
            throw ApiException.invalid(problem);
        }
        return key;
    }

    private static long sessionOf(JsonNode value) {
        if (value == null || value.isNull()) {
            throw ApiException.invalid("an acquire needs \"session\": the id of an open session");
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 1) {
            return value.asLong();
        }
        if (value.isTextual()) {
            return RequestParams.sessionId(value.asText());
        }
        throw ApiException.invalid("session must be a session id, a positive integer: " + value);
    }

    private static LockMode modeOf(JsonNode value) {
        if (value == null || value.isNull()) {
            return LockMode.EXCLUSIVE;
        }
        if (value.isTextual()) {
            for (LockMode m : LockMode.values()) {
                if (m.apiName().equals(value.asText())) {
                    return m;
                }
            }
        }
        throw ApiException.invalid("mode must be \"exclusive\" or \"shared\": " + value);
    }

    record Granted(String key, String mode, long session, long token) {}

    record Valid(boolean valid) {}
}
