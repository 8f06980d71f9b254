package io.quorum.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A watch read as server-sent events: the stream's lines parsed into events (a blank line ends
 * one; {@code :} comments are heartbeats and skipped). Close it to end the stream.
 */
final class ServerSentEvents implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One event: its type, its {@code id:} (null on all but the last event of a Raft index) and its data. */
    record Event(String type, String id, JsonNode data) {

        String key() {
            return data.path("key").asText(null);
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final Iterator<String> lines;

    private ServerSentEvents(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.lines = response.body().iterator();
    }

    /** {@code GET path} with {@code Accept: text/event-stream} and {@code headers} (name, value pairs). */
    static ServerSentEvents open(Http node, String path, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Accept";
        all[1] = "text/event-stream";
        System.arraycopy(headers, 0, all, 2, headers.length);
        HttpResponse<Stream<String>> response = node.lines(path, all);
        if (response.statusCode() != 200) {
            response.body().close();
            throw new AssertionError("GET " + path + " on " + node + " answered " + response.statusCode());
        }
        return new ServerSentEvents(response);
    }

    /** The events until (and with) the first whose key is {@code key}; fails at the deadline. */
    List<Event> readUntilKey(String key, Duration deadline) {
        CompletableFuture<List<Event>> read = CompletableFuture.supplyAsync(() -> {
            List<Event> events = new ArrayList<>();
            while (true) {
                Event event = next();
                events.add(event);
                if (key.equals(event.key())) {
                    return events;
                }
            }
        });
        try {
            return read.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no event for " + key + " within " + deadline.toMillis() + " ms", e);
        }
    }

    private Event next() {
        String type = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    return new Event(type, id, parse(data.toString()));
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            String field = line.contains(":") ? line.substring(0, line.indexOf(':')) : line;
            String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).stripLeading() : "";
            switch (field) {
                case "event" -> type = value;
                case "id" -> id = value;
                case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                default -> { }
            }
        }
        throw new AssertionError("the stream ended");
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        response.body().close();
    }
}
