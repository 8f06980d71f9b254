package io.quorum.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory target that answers at once: a map of keys, and locks that are granted only when
 * free (an acquire of a held lock fails, which a single-client or sequential run never meets).
 * It records what happened so that tests can check the order of lock operations.
 */
class FakeTarget implements Target {

    final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    final Map<String, Integer> holders = new ConcurrentHashMap<>();
    final List<String> history = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger lockersOpened = new AtomicInteger();
    final AtomicInteger lockersClosed = new AtomicInteger();
    volatile boolean closed;

    @Override
    public CompletableFuture<Void> put(int client, String key, byte[] value) {
        keys.put(key, value.clone());
        history.add(client + " put " + key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> get(int client, String key, boolean stale) {
        return keys.containsKey(key) ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new BenchFailure("not found", key));
    }

    @Override
    public CompletableFuture<Locker> locker(int client) {
        lockersOpened.incrementAndGet();
        return CompletableFuture.completedFuture(new Locker() {
            @Override
            public CompletableFuture<Void> acquire(String lock) {
                if (holders.putIfAbsent(lock, client) != null) {
                    return CompletableFuture.failedFuture(new BenchFailure("held", lock));
                }
                history.add(client + " acquire " + lock);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> release(String lock) {
                holders.remove(lock, client);
                history.add(client + " release " + lock);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> close() {
                lockersClosed.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
    }
}
