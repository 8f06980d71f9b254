package io.quorum.server;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A {@link RaftStorage} whose every call holds one monitor, so that the node's protocol thread
 * (reads) and storage thread (writes) never run inside the delegate at the same time.
 *
 * <p>Why: {@code DurableStorage} is not safe for a reader and a writer on two threads, which is
 * how {@code RaftNode} uses its storage. The cost is that a read of the protocol thread waits for
 * a write's fsync to finish. A decorator with the same purpose is being added to raft-core; this
 * one is to be replaced by it.
 */
final class SynchronizedStorage implements RaftStorage, Closeable {

    private final RaftStorage delegate;

    SynchronizedStorage(RaftStorage delegate) {
        this.delegate = delegate;
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
    public synchronized void appendAndSync(List<Entry> entries) {
        delegate.appendAndSync(entries);
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

    @Override
    public synchronized void close() throws IOException {
        if (delegate instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
