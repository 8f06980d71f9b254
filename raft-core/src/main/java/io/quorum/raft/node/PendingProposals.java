package io.quorum.raft.node;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Proposals made on this node that wait for their outcome. A proposal is matched to its entry by
 * this node's request id carried in the entry ({@link CommandEnvelope}), so it completes when this
 * node applies the entry, wherever the leader was. Once the proposal's index is known, a different
 * entry applied at that index proves it lost (overwritten by a later leader): it fails as
 * {@link NodeException.Kind#NOT_COMMITTED}, safe to retry.
 *
 * <p>Thread-safety: registered and assigned on the protocol thread, completed on the apply thread.
 */
final class PendingProposals<R> {

    private static final class Pending<R> {
        final CompletableFuture<R> future = new CompletableFuture<>();
        final long startNanos = System.nanoTime();
        final long deadlineNanos;

        Pending(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /**
     * Request ids must differ from those of this node's earlier runs: a restarted node replays its
     * log, and an old entry carrying its origin and a reused id would complete a new caller with
     * another command's result. Starting from the clock shifted left 20 bits stays ahead of every
     * earlier run unless that run made over a million proposals per millisecond of its life.
     */
    private final AtomicLong nextRequestId = new AtomicLong(System.currentTimeMillis() << 20);
    private final Map<Long, Pending<R>> byRequestId = new ConcurrentHashMap<>();
    private final ConcurrentNavigableMap<Long, Long> requestIdByIndex = new ConcurrentSkipListMap<>();
    /** Told of every outcome: latency from registration to completion, or the failure's kind. */
    private final NodeMetrics metrics;

    PendingProposals(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    int size() {
        return byRequestId.size();
    }

    /** Whether proposal {@code requestId} still waits for its outcome. */
    boolean isWaiting(long requestId) {
        return byRequestId.containsKey(requestId);
    }

    long register(long deadlineNanos) {
        long requestId = nextRequestId.getAndIncrement();
        byRequestId.put(requestId, new Pending<>(deadlineNanos));
        return requestId;
    }

    CompletableFuture<R> future(long requestId) {
        Pending<R> p = byRequestId.get(requestId);
        return p == null ? CompletableFuture.failedFuture(new NodeException(NodeException.Kind.TIMEOUT, "request expired")) : p.future;
    }

    /** The leader appended the proposal at index; {@code appliedIndex} is this node's applied index now. */
    void assigned(long requestId, long index, long appliedIndex) {
        if (!byRequestId.containsKey(requestId)) {
            return;
        }
        requestIdByIndex.put(index, requestId);
        if (appliedIndex >= index) {
            // The entry at index was applied before we learned the index; if it had been ours it
            // would have completed the proposal already.
            fail(requestId, new NodeException(NodeException.Kind.NOT_COMMITTED, "entry " + index + " was replaced by another leader"));
        }
    }

    /** This node applied its own proposal {@code requestId}. */
    void completed(long requestId, R result) {
        Pending<R> p = byRequestId.remove(requestId);
        if (p != null) {
            metrics.proposalCommitted(System.nanoTime() - p.startNanos);
            p.future.complete(result);
        }
    }

    /** Every entry up to {@code appliedIndex} is applied: proposals assigned there and still open lost. */
    void appliedUpTo(long appliedIndex) {
        failAssignedUpTo(appliedIndex, () -> new NodeException(NodeException.Kind.NOT_COMMITTED, "the entry was replaced by another leader"));
    }

    /**
     * A snapshot up to {@code snapshotIndex} replaced the state: proposals assigned there were
     * decided without this node seeing their entries, so their outcome is unknown here.
     */
    void skippedBySnapshot(long snapshotIndex) {
        failAssignedUpTo(snapshotIndex, () -> new NodeException(NodeException.Kind.TIMEOUT,
                "the outcome was folded into a snapshot this node installed; read the state to learn it"));
    }

    /** The exception is built only when a proposal is left to fail: applying is the hot path. */
    private void failAssignedUpTo(long index, Supplier<NodeException> cause) {
        ConcurrentNavigableMap<Long, Long> done = requestIdByIndex.headMap(index, true);
        NodeException failure = null;
        for (Iterator<Long> it = done.values().iterator(); it.hasNext(); ) {
            long requestId = it.next();
            it.remove();
            if (!byRequestId.containsKey(requestId)) {
                continue; // completed already: the usual case
            }
            if (failure == null) {
                failure = cause.get();
            }
            fail(requestId, failure);
        }
    }

    void fail(long requestId, NodeException cause) {
        Pending<R> p = byRequestId.remove(requestId);
        if (p != null) {
            metrics.proposalFailed(cause.kind());
            p.future.completeExceptionally(cause);
        }
    }

    /** Fails every proposal whose deadline passed with an unknown outcome. */
    void expire(long nowNanos) {
        for (Map.Entry<Long, Pending<R>> e : byRequestId.entrySet()) {
            if (nowNanos - e.getValue().deadlineNanos >= 0) {
                fail(e.getKey(), new NodeException(NodeException.Kind.TIMEOUT, "no outcome within the request timeout; the command may still commit"));
            }
        }
    }

    void failAll(NodeException cause) {
        for (Long requestId : byRequestId.keySet()) {
            fail(requestId, cause);
        }
        requestIdByIndex.clear();
    }
}
