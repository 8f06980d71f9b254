package io.quorum.http;

import io.quorum.coord.Event;
import io.quorum.server.CoordinationService;
import io.quorum.server.WatchPage;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * A watch as server-sent events ({@code Accept: text/event-stream}): one long poll after another,
 * each page written as events ({@code event:} the type, {@code data:} the event's JSON), a comment
 * as heartbeat when a poll ends empty. {@code id:} (the Raft index) is on the last event of each
 * index only, so a client that resumes with {@code Last-Event-ID} never gets half an entry's
 * events. COMPACTED ends the stream with an {@code error} event. A slow client (its write queue
 * full) gets its stream ended rather than buffered without bound.
 */
final class WatchStream {

    static final long HEARTBEAT_MILLIS = 15_000;

    private final CoordinationService service;
    private final HttpServerResponse response;
    private final String prefix;
    private Promise<Void> abandoned = Promise.promise();

    private WatchStream(CoordinationService service, HttpServerResponse response, String prefix) {
        this.service = service;
        this.response = response;
        this.prefix = prefix;
    }

    /** Starts streaming the events after {@code after} (null: from now) on {@code response}. */
    static void start(CoordinationService service, HttpServerResponse response, String prefix, Long after) {
        WatchStream stream = new WatchStream(service, response, prefix);
        response.setChunked(true).setStatusCode(200)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        response.closeHandler(v -> stream.abandoned.tryComplete());
        response.write(": watching " + (prefix.isEmpty() ? "everything" : prefix) + "\n\n");
        stream.next(after);
    }

    private void next(Long after) {
        if (response.closed()) {
            return;
        }
        abandoned = Promise.promise();
        service.watch(after, prefix, HEARTBEAT_MILLIS, abandoned.future())
                .onSuccess(this::write)
                .onFailure(this::fail);
    }

    private void write(WatchPage page) {
        if (response.closed()) {
            return;
        }
        if (page.compacted()) {
            end("event: error\ndata: " + errorJson("COMPACTED",
                    "events are no longer kept; read the current state and watch after index " + page.index()) + "\n\n");
            return;
        }
        StringBuilder out = new StringBuilder();
        List<Event> events = page.events();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            boolean lastOfIndex = i + 1 == events.size() || events.get(i + 1).index() != e.index();
            out.append("event: ").append(e.type().apiName()).append('\n');
            if (lastOfIndex) {
                out.append("id: ").append(e.index()).append('\n');
            }
            out.append("data: ").append(json(WatchHandlers.EventJson.of(e))).append("\n\n");
        }
        if (events.isEmpty()) {
            out.append(": heartbeat ").append(page.index()).append("\n\n");
        }
        if (response.writeQueueFull()) {
            response.reset();
            return;
        }
        response.write(out.toString());
        next(page.index());
    }

    /** A poll that failed (OVERLOADED, the node stopping): an {@code error} event with its code, and the end. */
    private void fail(Throwable failure) {
        ApiException error = ErrorMapping.of(failure);
        end("event: error\ndata: " + errorJson(error.code(), error.getMessage()) + "\n\n");
    }

    private void end(String last) {
        if (!response.closed()) {
            response.end(last);
        }
    }

    private static String errorJson(String code, String message) {
        return json(new ErrorBody(new ErrorBody.Error(code, message)));
    }

    private static String json(Object value) {
        try {
            return JsonResponses.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    record ErrorBody(Error error) {
        record Error(String code, String message) {}
    }
}
