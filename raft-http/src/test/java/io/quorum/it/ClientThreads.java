package io.quorum.it;

import io.quorum.it.history.History;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threads that each repeat one client step until {@link #close}; a step records its own
 * operations in the {@link History}. Each thread has its own random stream from the seed.
 */
abstract class ClientThreads implements AutoCloseable {

    /** Longer than a request with its retries can take, so that close waits out the last step. */
    private static final long JOIN_MILLIS = 30_000;

    protected final History history;
    private final String kind;
    private final int clients;
    private final long seed;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    ClientThreads(History history, String kind, int clients, long seed) {
        this.history = history;
        this.kind = kind;
        this.clients = clients;
        this.seed = seed;
    }

    /** Starts the threads; call at the end of the subclass's constructor. */
    final void start() {
        for (int c = 0; c < clients; c++) {
            String name = kind + c;
            int client = c;
            SplittableRandom random = new SplittableRandom(seed * 1_000 + c);
            Thread thread = new Thread(() -> {
                for (int n = 0; running.get(); n++) {
                    step(name, client, n, random);
                }
            }, name);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** One step of client {@code name} (number {@code client}): its {@code n}th. */
    abstract void step(String name, int client, int n, SplittableRandom random);

    boolean running() {
        return running.get();
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not finish its last step");
            }
        }
    }
}
