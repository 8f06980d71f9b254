package io.quorum.raft.storage;

import io.quorum.raft.protocol.CompactedException;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link RaftStorage} held in memory: "durable" means "in this object". Every method is
 * synchronized, which meets the interface's threading contract simply. Used by protocol tests and
 * the deterministic simulation, which models a crash by keeping this object (the disk) and
 * discarding the protocol instance, and models lost unsynced writes by not calling the write methods.
 */
public final class MemoryStorage implements RaftStorage {

    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = new Snapshot(SnapshotMeta.EMPTY, new byte[0]);
    /** Entries after the snapshot; entries.get(i) has index snapshot index + 1 + i. */
    private final ArrayList<Entry> entries = new ArrayList<>();

    /**
     * A storage holding only a bootstrap snapshot that names the initial configuration. The
     * snapshot must sit at index 1 or later (conventionally index 1, term 1, no data): a node
     * that joins later starts empty at index 0 and then needs this snapshot to learn the initial
     * configuration, which it could not get from log entries.
     */
    public static MemoryStorage bootstrapped(SnapshotMeta initial) {
        if (initial.index() < 1 || initial.term() < 1) {
            throw new IllegalArgumentException("bootstrap snapshot must be at index >= 1 and term >= 1, e.g. "
                    + "new SnapshotMeta(1, 1, membership, 0); got " + initial.index() + "/" + initial.term());
        }
        MemoryStorage storage = new MemoryStorage();
        storage.snapshot = new Snapshot(initial, new byte[0]);
        return storage;
    }

    @Override
    public synchronized HardState hardState() {
        return hardState;
    }

    @Override
    public synchronized SnapshotMeta snapshotMeta() {
        return snapshot.meta();
    }

    /** The latest snapshot with its data. */
    public synchronized Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public synchronized long firstIndex() {
        return snapshot.meta().index() + 1;
    }

    @Override
    public synchronized long lastIndex() {
        return snapshot.meta().index() + entries.size();
    }

    @Override
    public synchronized long term(long index) {
        long snapshotIndex = snapshot.meta().index();
        if (index < snapshotIndex) {
            throw new CompactedException(index, firstIndex());
        }
        if (index == snapshotIndex) {
            return snapshot.meta().term();
        }
        if (index > lastIndex()) {
            throw new IndexOutOfBoundsException("index " + index + " > last index " + lastIndex());
        }
        return entries.get((int) (index - firstIndex())).term();
    }

    @Override
    public synchronized List<Entry> entries(long from, long toExclusive, long maxBytes) {
        if (from < firstIndex()) {
            throw new CompactedException(from, firstIndex());
        }
        if (toExclusive > lastIndex() + 1) {
            throw new IndexOutOfBoundsException("entries up to " + toExclusive + " > last index " + lastIndex());
        }
        List<Entry> result = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i < toExclusive; i++) {
            Entry e = entries.get((int) (i - firstIndex()));
            bytes += e.sizeBytes();
            if (!result.isEmpty() && bytes > maxBytes) {
                break;
            }
            result.add(e);
        }
        return result;
    }

    @Override
    public synchronized byte[] readSnapshotChunk(long offset, int maxBytes) {
        byte[] data = snapshot.data();
        if (offset >= data.length) {
            return new byte[0];
        }
        int end = (int) Math.min(data.length, offset + maxBytes);
        return Arrays.copyOfRange(data, (int) offset, end);
    }

    @Override
    public synchronized void appendAndSync(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).index();
        if (first > lastIndex() + 1) {
            throw new IllegalArgumentException("gap: appending " + first + " after " + lastIndex());
        }
        if (first <= snapshot.meta().index()) {
            throw new IllegalArgumentException("appending " + first + " at or below snapshot " + snapshot.meta().index());
        }
        int keep = (int) (first - firstIndex());
        while (entries.size() > keep) {
            entries.remove(entries.size() - 1);
        }
        entries.addAll(batch);
    }

    @Override
    public synchronized void saveHardStateAndSync(HardState state) {
        this.hardState = state;
    }

    @Override
    public synchronized void installSnapshotAndSync(Snapshot received) {
        if (received.meta().index() <= snapshot.meta().index()) {
            return;
        }
        snapshot = received;
        entries.clear();
    }

    @Override
    public synchronized void saveSnapshotAndCompact(Snapshot taken) {
        long index = taken.meta().index();
        if (index <= snapshot.meta().index()) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("snapshot at " + index + " beyond last index " + lastIndex());
        }
        int drop = (int) (index - firstIndex() + 1);
        entries.subList(0, drop).clear();
        snapshot = taken;
    }
}
