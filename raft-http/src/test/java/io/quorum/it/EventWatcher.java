package io.quorum.it;

import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.client.WatchPage;
import io.quorum.it.history.History;
import io.quorum.it.history.WatchedEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One watch of every key ({@code GET /v1/watch/?index=n}, long poll) from an index on, through
 * whichever node answers, recording every event it receives in the {@link History}. A COMPACTED
 * answer (the watch fell behind the kept events) is remembered as the watch's failure.
 */
final class EventWatcher implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(1);

    private final QuorumClient client;
    private final History history;
    private final AtomicLong after;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final Thread thread;

    EventWatcher(QuorumClient client, History history, long afterIndex) {
        this.client = client;
        this.history = history;
        this.after = new AtomicLong(afterIndex);
        this.thread = new Thread(this::run, "watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running.get() && failure.get() == null) {
            poll();
        }
    }

    private boolean poll() {
        try {
            WatchPage page = client.watch("", after.get(), WAIT);
            long last = after.get();
            for (WatchPage.Event e : page.events()) {
                history.event(new WatchedEvent(e.index(), e.type(), e.key(), e.version(), e.session(), e.token(), history.now()));
                last = Math.max(last, e.index());
            }
            after.set(page.events().isEmpty() ? Math.max(last, page.index()) : last);
            return !page.events().isEmpty();
        } catch (QuorumException e) {
            if ("COMPACTED".equals(e.code())) {
                failure.set("the watch fell behind the kept events after index " + after.get());
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Polls until the watch has seen every event up to {@code index}, then stops. */
    void drainTo(long index, Duration deadline) {
        running.set(false);
        try {
            thread.join(deadline.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long end = System.nanoTime() + deadline.toNanos();
        while (after.get() < index && failure.get() == null && System.nanoTime() - end < 0) {
            poll();
        }
    }

    /** Why the watch could not go on, or null. */
    String failure() {
        return failure.get();
    }

    long position() {
        return after.get();
    }

    @Override
    public void close() {
        running.set(false);
    }
}
