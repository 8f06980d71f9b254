package io.quorum.raft.node;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.storage.TwoPhaseAppend;

import java.util.List;

/**
 * Makes any {@link RaftStorage} meet the interface's threading rule by running every call under one
 * lock. {@link RaftNode} reads storage from its protocol thread (through {@code Raft}) while its
 * storage thread writes; {@code DurableStorage} is not thread-safe (its segment list, caches and
 * snapshot metadata change during a write), so RaftNode wraps whatever storage it is given in this.
 *
 * <p>Cost: a protocol-thread read waits for a write in progress. For appends, the common write,
 * that is the write only: a store that can split an append ({@link TwoPhaseAppend}, as
 * {@code DurableStorage} does) has its fsync run after the lock is released, so reads proceed
 * during it. Before, a busy leader's protocol thread waited out nearly every fsync: committing
 * reads the term of a stored entry, while group commit keeps the storage thread in an fsync most
 * of the time. Other writes (hard state, snapshots, truncations) still hold the lock throughout;
 * they are rare. Writes, syncs included, come from one thread at a time (RaftNode's storage
 * thread), so an append's fsync always ends before the next write starts.
 *
 * <p>Wrapping an already synchronized store (MemoryStorage) is harmless: one more uncontended lock.
 */
public final class SynchronizedStorage implements RaftStorage, AutoCloseable {

    private final RaftStorage delegate;

    private SynchronizedStorage(RaftStorage delegate) {
        this.delegate = delegate;
    }

    /** Wraps {@code storage}, or returns it when it is already wrapped. */
    public static SynchronizedStorage of(RaftStorage storage) {
        return storage instanceof SynchronizedStorage s ? s : new SynchronizedStorage(storage);
    }

    @Override
    public synchronized HardState hardState() {
        return delegate.hardState();
    }

    @Override
    public synchronized SnapshotMeta snapshotMeta() {
        return delegate.snapshotMeta();
    }

    @Override
    public synchronized long firstIndex() {
        return delegate.firstIndex();
    }

    @Override
    public synchronized long lastIndex() {
        return delegate.lastIndex();
    }

    @Override
    public synchronized long term(long index) {
        return delegate.term(index);
    }

    @Override
    public synchronized List<Entry> entries(long from, long toExclusive, long maxBytes) {
        return delegate.entries(from, toExclusive, maxBytes);
    }

    @Override
    public synchronized byte[] readSnapshotChunk(long offset, int maxBytes) {
        return delegate.readSnapshotChunk(offset, maxBytes);
    }

    @Override
    public void appendAndSync(List<Entry> entries) {
        if (delegate instanceof TwoPhaseAppend twoPhase) {
            TwoPhaseAppend.PendingSync pending;
            synchronized (this) {
                pending = twoPhase.appendWithoutSync(entries);
            }
            pending.sync();
            return;
        }
        synchronized (this) {
            delegate.appendAndSync(entries);
        }
    }

    @Override
    public synchronized void saveHardStateAndSync(HardState state) {
        delegate.saveHardStateAndSync(state);
    }

    @Override
    public synchronized void installSnapshotAndSync(Snapshot snapshot) {
        delegate.installSnapshotAndSync(snapshot);
    }

    @Override
    public synchronized void saveSnapshotAndCompact(Snapshot snapshot) {
        delegate.saveSnapshotAndCompact(snapshot);
    }

    /** Closes the wrapped storage when it is closeable, after any write in progress. */
    @Override
    public synchronized void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
