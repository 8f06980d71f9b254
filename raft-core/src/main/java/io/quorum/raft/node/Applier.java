package io.quorum.raft.node;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Snapshot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

/**
 * Applies committed entries to the state machine on the node's apply thread, in log order, and
 * completes what waits on them: the proposals made on this node and the reads waiting for their
 * read index. After every {@code snapshotEvery} entries it takes a snapshot and hands it back to
 * the protocol thread for compaction.
 *
 * <p>The apply thread is separate from the protocol thread so that a slow state machine delays
 * only what waits on it; the gap between committed and applied is bounded by admission control.
 */
final class Applier<R> {

    private final String nodeId;
    private final StateMachine<R> stateMachine;
    private final ExecutorService applyThread;
    private final PendingProposals<R> proposals;
    private final ReadBarriers reads;
    private final long snapshotEvery;
    /** Called on the apply thread with (index, data) of each snapshot taken. */
    private final BiConsumer<Long, byte[]> snapshotTaken;
    private volatile long appliedIndex;
    private long lastSnapshotIndex;

    Applier(String nodeId, StateMachine<R> stateMachine, ExecutorService applyThread, PendingProposals<R> proposals,
            ReadBarriers reads, long snapshotEvery, long initialIndex, BiConsumer<Long, byte[]> snapshotTaken) {
        this.nodeId = nodeId;
        this.stateMachine = stateMachine;
        this.applyThread = applyThread;
        this.proposals = proposals;
        this.reads = reads;
        this.snapshotEvery = snapshotEvery;
        this.snapshotTaken = snapshotTaken;
        this.appliedIndex = initialIndex;
        this.lastSnapshotIndex = initialIndex;
    }

    long appliedIndex() {
        return appliedIndex;
    }

    /**
     * The applied index and the state machine's snapshot at it, taken on the apply thread between
     * two batches, so the bytes reflect exactly the entries up to that index.
     */
    CompletableFuture<Captured> capture() {
        return CompletableFuture.supplyAsync(() -> new Captured(appliedIndex, stateMachine.snapshot()), applyThread);
    }

    /** A state machine snapshot and the index it reflects. */
    record Captured(long index, byte[] data) {}

    /** Restores the state machine from the latest local snapshot before anything else is applied. */
    void restoreAtStart(Snapshot snapshot) {
        applyThread.execute(() -> stateMachine.restore(snapshot.data()));
    }

    /**
     * Queues a Ready's application work. Called on the protocol thread after the Ready's state is
     * durable, so the order of calls is the log order.
     */
    void enqueue(Snapshot snapshot, List<Entry> committed) {
        if (snapshot == null && committed.isEmpty()) {
            return;
        }
        applyThread.execute(() -> apply(snapshot, committed));
    }

    private void apply(Snapshot snapshot, List<Entry> committed) {
        if (snapshot != null) {
            stateMachine.restore(snapshot.data());
            appliedIndex = snapshot.meta().index();
            lastSnapshotIndex = appliedIndex;
            proposals.skippedBySnapshot(appliedIndex);
        }
        for (Entry entry : committed) {
            if (entry.index() <= appliedIndex) {
                continue;
            }
            if (entry.type() == EntryType.NORMAL) {
                CommandEnvelope envelope = CommandEnvelope.decode(entry.data());
                R result = stateMachine.apply(entry.index(), envelope.leaderTimeMillis(), envelope.command());
                if (envelope.origin().equals(nodeId)) {
                    proposals.completed(envelope.requestId(), result);
                }
            }
            appliedIndex = entry.index();
        }
        proposals.appliedUpTo(appliedIndex);
        reads.released(appliedIndex);
        if (appliedIndex - lastSnapshotIndex >= snapshotEvery) {
            lastSnapshotIndex = appliedIndex;
            snapshotTaken.accept(appliedIndex, stateMachine.snapshot());
        }
    }
}
