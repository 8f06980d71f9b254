package io.quorum.raft.storage;

import io.quorum.raft.protocol.CompactedException;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link RaftStorage} on disk, behaving exactly like {@link MemoryStorage} except that it survives
 * a crash. A data directory holds:
 * <pre>
 *   hardstate        term, vote, commit             ({@link HardStateFile})
 *   log/segment-*    the entries after the snapshot ({@link SegmentedLog}, format in {@link SegmentFormat})
 *   snapshot/*.snap  the latest two snapshots       ({@link SnapshotStore})
 * </pre>
 * Start-up ({@link #open}) reads the hard state, then the latest snapshot, then verifies every log
 * record and keeps the part of the log that continues from the snapshot.
 *
 * <p>Writes that touch more than one file are ordered so that a crash between the steps leaves a
 * state Raft allows: a local snapshot is durable before the segments it covers are deleted (a crash
 * in between leaves segments that start-up deletes); a leader's snapshot is durable before the log
 * is discarded (a crash in between leaves the old log, which start-up keeps only if it continues
 * from the snapshot's index and term, as Figure 13 of the Raft paper does, and discards otherwise);
 * a conflicting suffix is removed durably before its replacement is written, so the suffix may be
 * gone after a crash while the replacement is not yet there, never an old entry after a new one.
 *
 * <p>Errors: a full disk throws {@link StorageFullException} from the write that needed the space;
 * nothing partial is left, reads keep working and a later write may succeed. Every other I/O failure
 * (a failed fsync above all) throws {@link StorageFailedException}; the node must stop, and every
 * later write throws it again rather than retry. Corruption found at start-up or on a read throws
 * {@link StorageCorruptedException} naming the file and offset.
 *
 * <p>Order of calls: when one Ready carries both entries and a hard state whose commit covers them,
 * call {@link #appendAndSync} first. Start-up relies on the durable commit index never being ahead
 * of the durable log: a damaged last record at or below it is corruption, not a torn write.
 *
 * <p>Not thread-safe: all calls come from the thread that drives the protocol (the interface's
 * rule); the write methods block for their fsyncs.
 */
public final class DurableStorage implements RaftStorage, TwoPhaseAppend, Closeable {

    private final Path dir;
    private final HardStateFile hardState;
    private final SnapshotStore snapshots;
    private final SegmentedLog log;
    /** The fatal failure that stopped this storage, or null while healthy. */
    private StorageFailedException failure;

    private DurableStorage(Path dir, HardStateFile hardState, SnapshotStore snapshots, SegmentedLog log) {
        this.dir = dir;
        this.hardState = hardState;
        this.snapshots = snapshots;
        this.log = log;
    }

    /** Opens (or creates) the storage in {@code dir} on the real file system with default options. */
    public static DurableStorage open(Path dir) {
        return open(dir, StorageOptions.DEFAULTS, RealStorageFiles.INSTANCE);
    }

    /**
     * Opens (or creates) the storage in {@code dir}, recovering from whatever a crash left.
     *
     * @throws StorageCorruptedException when stored data is damaged in a way a crash cannot explain
     * @throws StorageFailedException    when the directory cannot be read or repaired
     */
    public static DurableStorage open(Path dir, StorageOptions options, StorageFiles files) {
        SnapshotStore snapshots = null;
        try {
            files.createDirectories(dir);
            HardStateFile hardState = HardStateFile.open(files, dir);
            snapshots = SnapshotStore.open(files, dir.resolve("snapshot"));
            SnapshotMeta meta = snapshots.meta();
            SegmentedLog log = SegmentedLog.open(files, dir.resolve("log"), options, meta.index(), meta.term(),
                    snapshots.isFromLeader(), hardState.current().commit());
            return new DurableStorage(dir, hardState, snapshots, log);
        } catch (IOException | RuntimeException e) {
            if (snapshots != null) {
                Segment.closeQuietly(snapshots);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageFailedException("cannot open storage in " + dir + ": " + e, e);
        }
    }

    /**
     * Stores the initial configuration of a new node as its first snapshot, as
     * {@link MemoryStorage#bootstrapped} does. Does nothing (and returns false) when the storage
     * already holds a snapshot, entries or a hard state.
     */
    public boolean bootstrapIfNew(SnapshotMeta initial) {
        if (snapshots.meta().membership().members().size() > 0 || snapshots.meta().index() > 0
                || log.lastIndex() > 0 || !hardState.current().equals(HardState.EMPTY)) {
            return false;
        }
        write("bootstrap", () -> {
            snapshots.saveAndSync(new Snapshot(initial, new byte[0]), true);
            log.resetTo(initial.index(), initial.term());
        });
        return true;
    }

    /** The latest snapshot with its data, read from disk; what a restarting node restores its state machine from. */
    public Snapshot snapshot() {
        return read("read snapshot", snapshots::read);
    }

    @Override
    public HardState hardState() {
        return hardState.current();
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return snapshots.meta();
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long term(long index) {
        if (index < log.firstIndex() - 1) {
            throw new CompactedException(index, log.firstIndex());
        }
        if (index > log.lastIndex()) {
            throw new IndexOutOfBoundsException("index " + index + " > last index " + log.lastIndex());
        }
        return log.term(index);
    }

    @Override
    public List<Entry> entries(long from, long toExclusive, long maxBytes) {
        EntryRanges.checkRange(from, toExclusive, log.firstIndex(), log.lastIndex());
        return read("read entries", () -> EntryRanges.collect(from, toExclusive, maxBytes, log::entry));
    }

    @Override
    public byte[] readSnapshotChunk(long offset, int maxBytes) {
        return read("read snapshot chunk", () -> snapshots.readChunk(offset, maxBytes));
    }

    @Override
    public void appendAndSync(List<Entry> batch) {
        appendWithoutSync(batch).sync();
    }

    /**
     * The write of {@link #appendAndSync} without its final fsync ({@link TwoPhaseAppend}). A
     * conflicting suffix is still removed durably before the new records are written.
     */
    @Override
    public PendingSync appendWithoutSync(List<Entry> batch) {
        if (batch.isEmpty()) {
            return () -> { };
        }
        checkAppendable(batch);
        Segment[] written = new Segment[1];
        write("append", () -> written[0] = log.appendWithoutSync(batch));
        return () -> write("append", () -> written[0].sync());
    }

    private void checkAppendable(List<Entry> batch) {
        long first = batch.get(0).index();
        if (first > log.lastIndex() + 1) {
            throw new IllegalArgumentException("gap: appending " + first + " after " + log.lastIndex());
        }
        if (first <= snapshots.meta().index()) {
            throw new IllegalArgumentException("appending " + first + " at or below snapshot " + snapshots.meta().index());
        }
        for (int i = 1; i < batch.size(); i++) {
            if (batch.get(i).index() != first + i) {
                throw new IllegalArgumentException("batch not contiguous at " + batch.get(i).index());
            }
        }
        SegmentFormat.batchBytes(batch); // refuses oversized entries before anything is written
    }

    @Override
    public void saveHardStateAndSync(HardState state) {
        write("save hard state", () -> hardState.saveAndSync(state));
    }

    /** The snapshot is made durable first; a crash before the log is discarded is repaired at start-up. */
    @Override
    public void installSnapshotAndSync(Snapshot received) {
        if (received.meta().index() <= snapshots.meta().index()) {
            return;
        }
        write("install snapshot", () -> {
            snapshots.saveAndSync(received, true);
            log.resetTo(received.meta().index(), received.meta().term());
        });
    }

    /** The snapshot is made durable before any segment is deleted. */
    @Override
    public void saveSnapshotAndCompact(Snapshot taken) {
        long index = taken.meta().index();
        if (index <= snapshots.meta().index()) {
            return;
        }
        if (index > log.lastIndex()) {
            throw new IllegalArgumentException("snapshot at " + index + " beyond last index " + log.lastIndex());
        }
        if (log.term(index) != taken.meta().term()) {
            throw new IllegalArgumentException("snapshot term " + taken.meta().term() + " != log term "
                    + log.term(index) + " at " + index);
        }
        write("save snapshot", () -> {
            snapshots.saveAndSync(taken, false);
            log.compactThrough(index, taken.meta().term());
        });
    }

    @Override
    public void close() {
        try {
            log.close();
            snapshots.close();
        } catch (IOException e) {
            throw new StorageFailedException("closing storage in " + dir + " failed: " + e, e);
        }
    }

    private void write(String operation, IoAction action) {
        if (failure != null) {
            throw new StorageFailedException("storage in " + dir + " stopped after an earlier failure; "
                    + operation + " refused: " + failure.getMessage(), failure);
        }
        try {
            action.run();
        } catch (StorageFullException e) {
            throw e;
        } catch (StorageFailedException e) {
            failure = e;
            throw e;
        } catch (IOException | RuntimeException e) {
            failure = new StorageFailedException(operation + " failed in " + dir + ": " + e, e);
            throw failure;
        }
    }

    private <T> T read(String operation, IoRead<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new StorageFailedException(operation + " failed in " + dir + ": " + e, e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    @FunctionalInterface
    private interface IoRead<T> {
        T run() throws IOException;
    }
}
