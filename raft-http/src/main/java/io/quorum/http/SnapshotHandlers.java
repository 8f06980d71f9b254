package io.quorum.http;

import io.quorum.server.Backup;
import io.quorum.server.CoordinationService;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/snapshot}: a consistent backup of the whole state, from any node, as the bytes of
 * a {@code io.quorum.server.BackupFile} ({@code quorum snapshot restore} makes a data dir from it).
 */
final class SnapshotHandlers {

    private final CoordinationService service;

    SnapshotHandlers(CoordinationService service) {
        this.service = service;
    }

    /**
     * Answers once the backup is taken (read barrier, serialization on the apply thread, encoding
     * on a worker): {@code application/octet-stream}, named {@code quorum-<index>.snap}, with
     * {@code X-Quorum-Index} the Raft index the backup reflects. Takes no query parameters: one
     * such as {@code consistency=stale} would be silently ignored otherwise, so it is refused.
     */
    void download(RoutingContext ctx) {
        if (!ctx.queryParams().isEmpty()) {
            throw ApiException.invalid("GET /v1/snapshot takes no parameters; got " + ctx.queryParams().names());
        }
        service.backup()
                .onSuccess(backup -> send(ctx, backup))
                .onFailure(t -> ctx.fail(ErrorMapping.forRead(t)));
    }

    private static void send(RoutingContext ctx, Backup backup) {
        String index = Long.toString(backup.meta().index());
        // Registered after the router's own stamp, so the backup's index is the one sent.
        ctx.addHeadersEndHandler(v -> ctx.response().putHeader("X-Quorum-Index", index));
        ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Disposition", "attachment; filename=\"quorum-" + index + ".snap\"")
                .end(Buffer.buffer(backup.file()));
    }
}
