package io.quorum.it.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operations of every client of one run and the events its watchers received, timed by one
 * monotonic clock ({@link System#nanoTime()} since the history began). Thread-safe: clients
 * {@link #now() take the time} before they invoke and {@link #record} when they learn the outcome.
 */
public final class History {

    private final long origin = System.nanoTime();
    private final AtomicInteger ids = new AtomicInteger();
    private final ConcurrentLinkedQueue<HistoryOp> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<WatchedEvent> events = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> faults = new ConcurrentLinkedQueue<>();

    /** Now on this history's clock. */
    public long now() {
        return System.nanoTime() - origin;
    }

    /** Records an operation invoked at {@code invoke} that completes now. */
    public HistoryOp record(String client, String op, String key, String value, long version, long session, long token,
                            long invoke, HistoryOp.Outcome outcome, String error) {
        HistoryOp recorded = new HistoryOp(ids.getAndIncrement(), client, op, key, value, version, session, token, invoke,
                now(), outcome, error);
        ops.add(recorded);
        return recorded;
    }

    public void event(WatchedEvent event) {
        events.add(event);
    }

    /** Notes a fault the nemesis injected (or healed), for the saved history and the fault count. */
    public void fault(String what) {
        faults.add(now() + " " + what);
    }

    /** The operations so far, in order of completion. */
    public List<HistoryOp> ops() {
        List<HistoryOp> list = new ArrayList<>(ops);
        list.sort(Comparator.comparingLong(HistoryOp::complete));
        return list;
    }

    public List<WatchedEvent> events() {
        return List.copyOf(events);
    }

    public List<String> faults() {
        return List.copyOf(faults);
    }

    /** Writes the whole history, with the checkers' {@code violations}, as JSON to {@code file}. */
    public Path save(Path file, List<String> violations) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("violations", violations);
        json.put("faults", faults());
        json.put("ops", ops());
        json.put("events", events());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
