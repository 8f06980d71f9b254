package io.quorum.raft.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Linearizable reads waiting on this node (thesis §6.4): first for the protocol to confirm a read
 * index, then for the local state machine to apply up to it. The future completes with the index
 * at which the local state may be read.
 *
 * <p>Thread-safety: requested and confirmed on the protocol thread, released on the apply thread.
 */
final class ReadBarriers {

    private record Waiting(CompletableFuture<Long> future, long deadlineNanos) {
    }

    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Map<Long, Waiting> unconfirmed = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, List<Waiting>> byReadIndex = new ConcurrentSkipListMap<>();

    int size() {
        return unconfirmed.size();
    }

    long register(CompletableFuture<Long> future, long deadlineNanos) {
        long requestId = nextRequestId.getAndIncrement();
        unconfirmed.put(requestId, new Waiting(future, deadlineNanos));
        return requestId;
    }

    /** Requests still waiting for the protocol's confirmation. */
    List<Long> unconfirmedIds() {
        return new ArrayList<>(unconfirmed.keySet());
    }

    /**
     * The protocol confirmed read index {@code index} for the request; release once applied.
     *
     * <p>{@code appliedIndex} is read only after the waiter is in place. The apply thread publishes
     * its applied index first and then releases what waits: between them, one of the two threads
     * sees the other's step. Read before the waiter was in place (an argument, as this once took),
     * the index could be stale while the apply thread had already released an empty map: the read
     * then waited for the next apply, for ever on an idle cluster.
     */
    void confirmed(long requestId, long index, LongSupplier appliedIndex) {
        Waiting w = unconfirmed.remove(requestId);
        if (w == null) {
            return;
        }
        // A new list each time: the apply thread may be completing the list it took out of the map.
        byReadIndex.merge(index, List.of(w), ReadBarriers::concat);
        released(appliedIndex.getAsLong());
    }

    private static List<Waiting> concat(List<Waiting> a, List<Waiting> b) {
        List<Waiting> both = new ArrayList<>(a.size() + b.size());
        both.addAll(a);
        both.addAll(b);
        return List.copyOf(both);
    }

    /** This node has applied up to {@code appliedIndex}. */
    void released(long appliedIndex) {
        while (true) {
            Map.Entry<Long, List<Waiting>> first = byReadIndex.firstEntry();
            if (first == null || first.getKey() > appliedIndex) {
                return;
            }
            if (byReadIndex.remove(first.getKey(), first.getValue())) {
                first.getValue().forEach(w -> w.future.complete(appliedIndex));
            }
        }
    }

    void fail(long requestId, NodeException cause) {
        Waiting w = unconfirmed.remove(requestId);
        if (w != null) {
            w.future.completeExceptionally(cause);
        }
    }

    void expire(long nowNanos) {
        for (Map.Entry<Long, Waiting> e : unconfirmed.entrySet()) {
            if (nowNanos - e.getValue().deadlineNanos >= 0) {
                fail(e.getKey(), new NodeException(NodeException.Kind.TIMEOUT, "the read index was not confirmed in time"));
            }
        }
    }

    /** Leadership changed: confirmations in flight will never come; callers may retry at once. */
    void failUnconfirmed(NodeException cause) {
        for (Long requestId : unconfirmed.keySet()) {
            fail(requestId, cause);
        }
    }

    void failAll(NodeException cause) {
        failUnconfirmed(cause);
        byReadIndex.values().forEach(list -> list.forEach(w -> w.future.completeExceptionally(cause)));
        byReadIndex.clear();
    }
}
