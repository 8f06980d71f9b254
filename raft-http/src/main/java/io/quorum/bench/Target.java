package io.quorum.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One system under test, spoken to through its own client API. Every operation returns at once
 * with a future; none blocks the caller's thread (a target whose client library blocks runs it on
 * threads of its own). A failed operation completes exceptionally, preferably with a
 * {@link BenchFailure} naming the kind of error. {@code client} is the driver's client number
 * (0-based): a target uses it to spread clients over endpoints and connections.
 */
public interface Target extends AutoCloseable {

    /** Writes {@code value} to {@code key}, creating the key when it is absent. */
    CompletableFuture<Void> put(int client, String key, byte[] value);

    /** Reads {@code key}: linearizable, or from the answering member's replica when {@code stale}. */
    CompletableFuture<Void> get(int client, String key, boolean stale);

    /** Opens what holds locks for one client: a Quorum session, an etcd lease, a ZooKeeper session's mutexes. */
    CompletableFuture<Locker> locker(int client);

    /** Closes connections and client threads; after every locker was closed. */
    @Override
    void close();

    /** The lock side of one client. Acquire and release of one lock alternate. */
    interface Locker {

        /** Completes once {@code lock} is held by this client, waiting behind other holders. */
        CompletableFuture<Void> acquire(String lock);

        CompletableFuture<Void> release(String lock);

        /** Ends the session or lease; never fails (errors at the end of a run do not count). */
        CompletableFuture<Void> close();
    }
}
