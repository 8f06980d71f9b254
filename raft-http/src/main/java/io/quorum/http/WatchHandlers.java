package io.quorum.http;

import io.quorum.coord.Event;
import io.quorum.server.CoordinationService;
import io.quorum.server.WatchPage;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /v1/watch/{prefix}?index=<n>&wait=30s}: the long poll of API.md, "Watches", or with
 * {@code Accept: text/event-stream} a {@link WatchStream} (resumable with {@code Last-Event-ID}). The
 * prefix has the key syntax and may be empty (everything). A client that disconnects while its
 * poll waits frees its place at once.
 */
final class WatchHandlers {

    static final String PREFIX = "/v1/watch/";
    static final long DEFAULT_WAIT_MILLIS = 30_000;
    static final long MAX_WAIT_MILLIS = 300_000;

    private final CoordinationService service;

    WatchHandlers(CoordinationService service) {
        this.service = service;
    }

    void poll(RoutingContext ctx) {
        String prefix = RequestParams.listPrefix(ctx, PREFIX);
        String indexText = RequestParams.single(ctx, "index");
        Long after = indexText == null ? null : RequestParams.nonNegativeIndex(indexText, "index");
        if (wantsStream(ctx)) {
            String resume = ctx.request().getHeader("Last-Event-ID");
            WatchStream.start(service, ctx.response(), prefix,
                    resume != null && !resume.isBlank() ? Long.valueOf(RequestParams.nonNegativeIndex(resume, "Last-Event-ID")) : after);
            return;
        }
        long wait = waitOf(RequestParams.single(ctx, "wait"));
        Promise<Void> abandoned = Promise.promise();
        ctx.response().closeHandler(v -> abandoned.tryComplete());
        service.watch(after, prefix, wait, abandoned.future())
                .onSuccess(page -> answer(ctx, page))
                .onFailure(t -> {
                    if (!ctx.response().closed()) {
                        ctx.fail(ErrorMapping.forRead(t));
                    }
                });
    }

    private static boolean wantsStream(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("text/event-stream");
    }

    private static void answer(RoutingContext ctx, WatchPage page) {
        if (page.compacted()) {
            ctx.fail(new ApiException(410, "COMPACTED", "events after the requested index are no longer kept; "
                    + "read the current state and watch after index " + page.index()));
            return;
        }
        JsonResponses.send(ctx, 200, new Page(page.index(), page.events().stream().map(EventJson::of).toList()));
    }

    private static long waitOf(String text) {
        if (text == null) {
            return DEFAULT_WAIT_MILLIS;
        }
        long wait = Durations.millis(text, "wait");
        if (wait > MAX_WAIT_MILLIS) {
            throw ApiException.invalid("wait must be 0s to " + Durations.format(MAX_WAIT_MILLIS) + ": " + text);
        }
        return wait;
    }

    record Page(long index, List<EventJson> events) {}

    record EventJson(long index, String type, String key, long version, long session, long token) {
        static EventJson of(Event e) {
            return new EventJson(e.index(), e.type().apiName(), e.key(), e.version(), e.session(), e.token());
        }
    }
}
