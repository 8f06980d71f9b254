package io.quorum.raft.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

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

    /** The protocol confirmed read index {@code index} for the request; release once applied. */
    void confirmed(long requestId, long index, long appliedIndex) {
        Waiting w = unconfirmed.remove(requestId);
        if (w == null) {
            return;
        }
        byReadIndex.compute(index, (k, list) -> {
            List<Waiting> l = list == null ? new ArrayList<>() : list;
            l.add(w);
            return l;
        });
        released(appliedIndex);
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
