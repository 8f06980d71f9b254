package io.quorum.http;

import io.quorum.coord.Command;
import io.quorum.coord.Fence;
import io.quorum.coord.KeyView;
import io.quorum.coord.ListPage;
import io.quorum.coord.LockView;
import io.quorum.coord.Result;
import io.quorum.server.Consistency;
import io.quorum.server.CoordinationService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** {@code /v1/kv/{key}}: keys and small files (API.md, "Keys and small files"). */
final class KvHandlers {

    static final String PREFIX = "/v1/kv/";

    private final CoordinationService service;
    private final int maxValueBytes;

    KvHandlers(CoordinationService service, int maxValueBytes) {
        this.service = service;
        this.maxValueBytes = maxValueBytes;
    }

    /** {@code PUT /v1/kv/{key}}: write, compare-and-set, create only, ephemeral, fenced. */
    void put(RoutingContext ctx) {
        String key = RequestParams.key(ctx, PREFIX);
        long expectedVersion = RequestParams.expectedVersion(ctx);
        Fence fence = RequestParams.fence(ctx);
        long session = RequestParams.ephemeralSession(ctx);
        Buffer body = ctx.body().buffer();
        byte[] value = body == null ? new byte[0] : body.getBytes();
        if (value.length > maxValueBytes) {
            throw new ApiException(413, "TOO_LARGE", "value of " + value.length + " bytes is over the limit of "
                    + maxValueBytes);
        }
        Command put = new Command.Put(key, value, expectedVersion, session, fence);
        Future<Void> sessionChecked = session == Command.NO_SESSION
                ? Future.succeededFuture()
                : Outcomes.requireSessionMayExist(service, session);
        sessionChecked.compose(v -> service.propose(put))
                .map(r -> Outcomes.expect(r, Result.KeyWritten.class))
                .onSuccess(written -> JsonResponses.send(ctx, 200, written))
                .onFailure(ctx::fail);
    }

    /** {@code DELETE /v1/kv/{key}}: with If-Match and X-Quorum-Fence as for a put. */
    void delete(RoutingContext ctx) {
        String key = RequestParams.key(ctx, PREFIX);
        long expectedVersion = RequestParams.expectedVersion(ctx);
        if (expectedVersion == Command.ABSENT) {
            throw ApiException.invalid("If-None-Match does not apply to a delete");
        }
        Fence fence = RequestParams.fence(ctx);
        service.propose(new Command.Delete(key, expectedVersion, fence))
                .map(r -> Outcomes.expect(r, Result.KeyDeleted.class))
                .onSuccess(deleted -> JsonResponses.send(ctx, 200, deleted))
                .onFailure(ctx::fail);
    }

    /** {@code GET /v1/kv/{key}}: the raw value, or with {@code Accept: application/json} its metadata; {@code ?list} lists. */
    void get(RoutingContext ctx) {
        if (ctx.queryParams().contains("list")) {
            list(ctx);
            return;
        }
        String key = RequestParams.key(ctx, PREFIX);
        Consistency consistency = RequestParams.consistency(ctx);
        boolean json = RequestParams.wantsJson(ctx);
        service.read(consistency, m -> m.get(key))
                .onSuccess(found -> answerKey(ctx, key, found, json))
                .onFailure(t -> ctx.fail(ErrorMapping.forRead(t)));
    }

    private void answerKey(RoutingContext ctx, String key, Optional<KeyView> found, boolean json) {
        if (found.isEmpty()) {
            ctx.fail(new ApiException(404, "NOT_FOUND", "no key " + key));
            return;
        }
        KeyView k = found.get();
        if (json) {
            JsonResponses.send(ctx, 200, KeyJson.of(k));
            return;
        }
        ctx.response()
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("ETag", "\"" + k.version() + "\"")
                .putHeader("X-Quorum-Version", Long.toString(k.version()))
                .putHeader("X-Quorum-Mod-Index", Long.toString(k.modIndex()))
                .end(Buffer.buffer(k.value()));
    }

    /** {@code GET /v1/kv/{prefix}?list&delimiter=/&limit=&after=}. */
    private void list(RoutingContext ctx) {
        String prefix = RequestParams.listPrefix(ctx, PREFIX);
        boolean oneLevel = RequestParams.slashDelimiter(ctx);
        String after = RequestParams.after(ctx);
        int limit = RequestParams.limit(ctx);
        Consistency consistency = RequestParams.consistency(ctx);
        service.read(consistency, m -> m.list(prefix, oneLevel, after, limit))
                .onSuccess((ListPage page) -> JsonResponses.send(ctx, 200, page))
                .onFailure(t -> ctx.fail(ErrorMapping.forRead(t)));
    }

    /** A key with metadata; {@code value} only when the bytes are UTF-8. */
    record KeyJson(String key, String value, String valueBase64, long version, long createIndex, long modIndex,
                   Long ephemeralOwner, LockJson lock) {

        static KeyJson of(KeyView k) {
            return new KeyJson(k.key(), utf8OrNull(k.value()), Base64.getEncoder().encodeToString(k.value()), k.version(),
                    k.createIndex(), k.modIndex(), k.ephemeralOwner() == Command.NO_SESSION ? null : k.ephemeralOwner(),
                    k.lock() == null ? null : LockJson.of(k.lock()));
        }

        private static String utf8OrNull(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }

    /** A lock as API.md shows it: {@code {"key","mode","holders","waiters"}}. */
    record LockJson(String key, String mode, List<LockView.Holder> holders, List<WaiterJson> waiters) {

        static LockJson of(LockView lock) {
            return new LockJson(lock.key(), lock.mode() == null ? null : lock.mode().apiName(), lock.holders(),
                    lock.waiters().stream().map(w -> new WaiterJson(w.session(), w.mode().apiName())).toList());
        }
    }

    record WaiterJson(long session, String mode) {}
}
