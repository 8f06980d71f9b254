package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The process {@link Kill9CrashTest} kills: opens the storage in {@code args[0]}, prints
 * {@code ready <lastIndex>}, then appends batches forever, printing {@code acked <index>} after each
 * appendAndSync returns; now and then it also saves the hard state or takes a snapshot. Entry
 * contents are a function of the index, so the parent can check them after any crash.
 */
public final class Kill9Child {

    static final StorageOptions OPTIONS = new StorageOptions(256 << 10, 1 << 20);

    private Kill9Child() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = System.out;
        DurableStorage storage = DurableStorage.open(dir, OPTIONS, RealStorageFiles.INSTANCE);
        out.println("ready " + storage.lastIndex());
        out.flush();
        while (true) {
            long first = storage.lastIndex() + 1;
            int size = 1 + random.nextInt(64);
            List<Entry> batch = new ArrayList<>(size);
            for (long index = first; index < first + size; index++) {
                batch.add(expectedEntry(index));
            }
            storage.appendAndSync(batch);
            out.println("acked " + storage.lastIndex());
            out.flush();
            if (random.nextInt(8) == 0) {
                storage.saveHardStateAndSync(new HardState(1, "n1", storage.lastIndex()));
            }
            long snapshotIndex = storage.lastIndex() - random.nextInt(300);
            if (random.nextInt(40) == 0 && snapshotIndex > storage.snapshotMeta().index()) {
                storage.saveSnapshotAndCompact(expectedSnapshot(snapshotIndex));
            }
        }
    }

    static Entry expectedEntry(long index) {
        byte[] data = new byte[16 + (int) (index % 240)];
        Random content = new Random(index);
        content.nextBytes(data);
        return new Entry(1, index, EntryType.NORMAL, data);
    }

    static Snapshot expectedSnapshot(long index) {
        byte[] data = ByteBuffer.allocate(8 + (int) (index % 1000)).putLong(index).array();
        return new Snapshot(new SnapshotMeta(index, 1, RaftStorageContract.MEMBERS, data.length), data);
    }
}
