package io.quorum.raft.node;

import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.protocol.Snapshot;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node's storage thread: makes Readys durable one at a time, in the order handed in, and saves
 * the state machine's snapshots between them. {@link RaftNode} hands it one Ready at a time and
 * collects the next while the write runs, so one fsync covers everything that arrived meanwhile
 * (group commit).
 *
 * <p>A hard state that differs from the durable one only in its commit index is not waited for:
 * Raft's safety never rests on a durable commit index (Figure 2 lists commitIndex as volatile
 * state), and writing the hard state costs two fsyncs (a file replaced atomically), which otherwise
 * sat between every follower's write and its acknowledgement and tripled a proposal's latency here.
 * Such a hard state is kept and written at most every {@link #COMMIT_SAVE_INTERVAL_NANOS}, after the
 * Ready is handed back, or superseded by a later hard state with a new term or vote, which is
 * written at once, commit included. A crash loses at most that much of the durable commit index,
 * which the node then learns again from the leader. Term and vote are always durable before the
 * Ready is handed back, hence before any message of it is sent.
 */
final class StorageWriter {

    /**
     * How stale the durable commit index may get. Each save costs two fsyncs on the storage thread,
     * where they delay the next Ready's write; at 100 ms they took 3% of a busy leader's CPU and
     * put two fsyncs in front of one write in every 100 ms. A restarted node learns the rest from
     * the leader.
     */
    private static final long COMMIT_SAVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SynchronizedStorage storage;
    private final ExecutorService thread;
    /** Called on this thread with what failed; the node must stop. */
    private final Consumer<Throwable> failed;
    private final NodeMetrics metrics;

    // Touched on the storage thread only.
    private HardState unsavedCommit;
    private long lastCommitSaveNanos = System.nanoTime();

    StorageWriter(SynchronizedStorage storage, ExecutorService thread, Consumer<Throwable> failed, NodeMetrics metrics) {
        this.storage = storage;
        this.thread = thread;
        this.failed = failed;
        this.metrics = metrics;
    }

    /** Makes {@code ready}'s snapshot, entries and hard state durable, then runs {@code durable}. */
    void persist(Ready ready, Runnable durable) {
        submit(() -> {
            long start = System.nanoTime();
            boolean synced = ready.snapshot() != null || !ready.entries().isEmpty();
            try {
                if (ready.snapshot() != null) {
                    storage.installSnapshotAndSync(ready.snapshot());
                }
                if (!ready.entries().isEmpty()) {
                    storage.appendAndSync(ready.entries());
                }
                HardState next = ready.hardState();
                if (next != null && sameTermAndVote(next, storage.hardState())) {
                    unsavedCommit = next;
                } else if (next != null) {
                    storage.saveHardStateAndSync(next);
                    unsavedCommit = null;
                    synced = true;
                }
            } catch (Throwable t) {
                failed.accept(t);
                return;
            }
            if (synced) {
                metrics.fsyncCompleted(System.nanoTime() - start, ready.entries().size());
            }
            durable.run();
            saveCommitIfDue();
        });
    }

    /** Records a snapshot the state machine took, and compacts the log it covers. */
    void saveSnapshot(Snapshot snapshot) {
        submit(() -> {
            try {
                storage.saveSnapshotAndCompact(snapshot);
                metrics.snapshotTaken();
            } catch (Throwable t) {
                failed.accept(t);
            }
        });
    }

    /** Called every tick: writes a kept commit-only hard state once it is due, when the node idles. */
    void tick() {
        submit(this::saveCommitIfDue);
    }

    private void saveCommitIfDue() {
        if (unsavedCommit != null && System.nanoTime() - lastCommitSaveNanos >= COMMIT_SAVE_INTERVAL_NANOS) {
            saveUnsavedCommit();
        }
    }

    private void saveUnsavedCommit() {
        if (unsavedCommit == null) {
            return;
        }
        try {
            long start = System.nanoTime();
            storage.saveHardStateAndSync(unsavedCommit);
            unsavedCommit = null;
            lastCommitSaveNanos = System.nanoTime();
            metrics.fsyncCompleted(lastCommitSaveNanos - start, 0);
        } catch (Throwable t) {
            failed.accept(t);
        }
    }

    /** A clean close: the durable commit index catches up after the writes already queued. */
    void saveCommitAtClose() {
        submit(this::saveUnsavedCommit);
    }

    private void submit(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException stopping) {
            // The node is closing or crashed: what was not queued in time is not written.
        }
    }

    private static boolean sameTermAndVote(HardState a, HardState b) {
        return a.term() == b.term() && Objects.equals(a.votedFor(), b.votedFor());
    }
}
