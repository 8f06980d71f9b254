package io.quorum.it;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Client threads that each write unique values to keys of their own ({@code <prefix>/c<client>-<n>}),
 * turning through the nodes of a cluster, and record every write's history: node, invoke and
 * complete times and outcome. 200 is acknowledged; 503 and 429 were not applied; 504, a request
 * timeout or a dropped connection are indeterminate (the write may still commit).
 */
final class WriteWorkload implements AutoCloseable {

    /** Longer than the server's own request timeout, so that its 504 is seen rather than ours. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);

    enum Outcome { ACKNOWLEDGED, NOT_APPLIED, INDETERMINATE }

    /** One write as a client saw it; times are {@link System#nanoTime()}. */
    record Write(int client, String key, String value, String node, long invokeNanos, long completeNanos,
                 Outcome outcome, String detail) {}

    private final String prefix;
    private final Supplier<List<NodeProcess>> nodes;
    private final ConcurrentLinkedQueue<Write> history = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();

    /** Starts {@code clients} threads writing under {@code prefix} through {@code nodes} (asked before every write). */
    WriteWorkload(String prefix, int clients, Supplier<List<NodeProcess>> nodes) {
        this.prefix = prefix;
        this.nodes = nodes;
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> run(client), "writer-" + c);
            thread.setDaemon(true);
            this.clients.add(thread);
            thread.start();
        }
    }

    private void run(int client) {
        for (int n = 0; running.get(); n++) {
            List<NodeProcess> targets = nodes.get();
            NodeProcess node = targets.get((client + n) % targets.size());
            String key = prefix + "/c" + client + "-" + n;
            String value = "c" + client + "-" + n + "@" + node.id();
            long invoke = System.nanoTime();
            Outcome outcome;
            String detail;
            try {
                Http.Answer answer = node.http().send("PUT", "/v1/kv/" + key, value.getBytes(StandardCharsets.UTF_8), REQUEST_TIMEOUT);
                detail = Integer.toString(answer.status());
                outcome = switch (answer.status()) {
                    case 200 -> Outcome.ACKNOWLEDGED;
                    case 429, 503 -> Outcome.NOT_APPLIED;
                    default -> Outcome.INDETERMINATE;
                };
            } catch (UncheckedIOException e) {
                outcome = Outcome.INDETERMINATE;
                detail = e.getCause().getClass().getSimpleName();
            }
            history.add(new Write(client, key, value, node.id(), invoke, System.nanoTime(), outcome, detail));
        }
    }

    /** The writes completed so far. */
    List<Write> history() {
        return List.copyOf(history);
    }

    List<Write> acknowledged() {
        return history.stream().filter(w -> w.outcome() == Outcome.ACKNOWLEDGED).toList();
    }

    /** Acknowledged writes invoked after {@code nanos}. */
    long acknowledgedAfter(long nanos) {
        return history.stream().filter(w -> w.outcome() == Outcome.ACKNOWLEDGED && w.invokeNanos() - nanos >= 0).count();
    }

    /** The earliest completion of an acknowledged write invoked after {@code nanos}. */
    Optional<Write> firstAcknowledgedAfter(long nanos) {
        return history.stream().filter(w -> w.outcome() == Outcome.ACKNOWLEDGED && w.invokeNanos() - nanos >= 0)
                .min((a, b) -> Long.compare(a.completeNanos(), b.completeNanos()));
    }

    /** Stops the clients: each finishes the write it has in flight. */
    @Override
    public void close() {
        running.set(false);
        for (Thread client : clients) {
            try {
                client.join(REQUEST_TIMEOUT.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (client.isAlive()) {
                throw new AssertionError(client.getName() + " did not finish its last write");
            }
        }
    }
}
