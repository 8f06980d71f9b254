package io.quorum.raft.storage;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Snapshots in their own directory, one file each, named {@code snapshot-<index>-<term>.snap}
 * (20 digits each, so that names sort by index):
 * <pre>
 *   int   magic 0x5152534E ("QRSN")
 *   int   format version (1)
 *   int   length of the metadata block
 *   ...   metadata: byte origin (0 taken locally, 1 installed from a leader), long index, long term,
 *         long data size, membership ({@link Membership#writeTo})
 *   int   CRC32C of everything before it
 *   ...   data (data size bytes)
 *   int   CRC32C of the data
 * </pre>
 * Written through {@link AtomicFile} (temp, fsync, rename, directory fsync), so a snapshot file
 * either exists complete or not at all; the latest is the one with the highest index. The latest
 * two are kept: the previous one costs one file and is what an operator can fall back to by hand
 * if the newest is ever damaged. Start-up verifies the newest file completely and stops on a
 * mismatch: the log may already be compacted past the older one, so falling back silently could
 * lose entries.
 */
final class SnapshotStore implements java.io.Closeable {

    private static final int MAGIC = 0x5152534E;
    private static final int VERSION = 1;
    private static final int KEEP = 2;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";

    private final StorageFiles files;
    private final Path dir;
    private SnapshotMeta meta = SnapshotMeta.EMPTY;
    private boolean fromLeader;
    /** The open file of the latest snapshot, or null when there is none. */
    private StorageFile file;
    private long dataOffset;

    private SnapshotStore(StorageFiles files, Path dir) {
        this.files = files;
        this.dir = dir;
    }

    /** Opens the store in {@code dir} and verifies its latest snapshot. */
    static SnapshotStore open(StorageFiles files, Path dir) throws IOException {
        files.createDirectories(dir);
        SnapshotStore store = new SnapshotStore(files, dir);
        for (Path path : files.list(dir)) {
            if (path.getFileName().toString().endsWith(AtomicFile.TEMP_SUFFIX)) {
                files.deleteIfExists(path);
            }
        }
        List<Path> snapshots = store.snapshotFiles();
        if (!snapshots.isEmpty()) {
            store.load(snapshots.get(snapshots.size() - 1));
        }
        return store;
    }

    SnapshotMeta meta() {
        return meta;
    }

    /** Whether the latest snapshot came from a leader (InstallSnapshot) rather than the local state machine. */
    boolean isFromLeader() {
        return fromLeader;
    }

    /** Makes {@code snapshot} durable and the latest, then deletes all but the latest two. */
    void saveAndSync(Snapshot snapshot, boolean installedFromLeader) throws IOException {
        SnapshotMeta newMeta = snapshot.meta();
        Path path = dir.resolve(String.format("%s%020d-%020d%s", PREFIX, newMeta.index(), newMeta.term(), SUFFIX));
        byte[] header = encodeHeader(newMeta, installedFromLeader);
        AtomicFile.replace(files, path, file -> {
            file.write(ByteBuffer.wrap(header), 0);
            file.write(ByteBuffer.wrap(snapshot.data()), header.length);
            ByteBuffer dataCrc = ByteBuffer.allocate(4).putInt(SegmentFormat.crc(snapshot.data(), 0, snapshot.data().length));
            file.write(dataCrc.flip(), header.length + (long) snapshot.data().length);
        });
        StorageFile opened = files.open(path);
        closeCurrent();
        file = opened;
        dataOffset = header.length;
        meta = newMeta;
        fromLeader = installedFromLeader;
        List<Path> snapshots = snapshotFiles();
        for (int i = 0; i < snapshots.size() - KEEP; i++) {
            files.deleteIfExists(snapshots.get(i));
        }
        files.syncDirectory(dir);
    }

    /** Up to {@code maxBytes} of the latest snapshot's data from {@code offset}; empty at the end. */
    byte[] readChunk(long offset, int maxBytes) throws IOException {
        if (file == null || offset >= meta.sizeBytes()) {
            return new byte[0];
        }
        byte[] chunk = new byte[(int) Math.min(maxBytes, meta.sizeBytes() - offset)];
        file.readFully(ByteBuffer.wrap(chunk), dataOffset + offset);
        return chunk;
    }

    /** The latest snapshot with all its data. */
    Snapshot read() throws IOException {
        if (meta.sizeBytes() > Integer.MAX_VALUE - 8) {
            throw new IOException("snapshot of " + meta.sizeBytes() + " bytes does not fit in memory");
        }
        return new Snapshot(meta, readChunk(0, (int) meta.sizeBytes()));
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }

    private void closeCurrent() throws IOException {
        if (file != null) {
            file.close();
            file = null;
        }
    }

    private List<Path> snapshotFiles() throws IOException {
        List<Path> snapshots = new ArrayList<>();
        for (Path path : files.list(dir)) {
            String name = path.getFileName().toString();
            if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                snapshots.add(path);
            }
        }
        snapshots.sort(Comparator.comparing(path -> path.getFileName().toString()));
        return snapshots;
    }

    private void load(Path path) throws IOException {
        StorageFile opened = files.open(path);
        try {
            long size = opened.size();
            ByteBuffer prefix = ByteBuffer.allocate(12);
            if (size < 16) {
                throw new StorageCorruptedException(path, 0, "snapshot file too short");
            }
            opened.readFully(prefix, 0);
            int metaLength = prefix.getInt(8);
            if (prefix.getInt(0) != MAGIC || prefix.getInt(4) != VERSION || metaLength < 25 || 12L + metaLength + 8 > size) {
                throw new StorageCorruptedException(path, 0, "bad snapshot header");
            }
            byte[] header = new byte[12 + metaLength + 4];
            opened.readFully(ByteBuffer.wrap(header), 0);
            if (ByteBuffer.wrap(header).getInt(12 + metaLength) != SegmentFormat.crc(header, 0, 12 + metaLength)) {
                throw new StorageCorruptedException(path, 12 + metaLength, "snapshot metadata fails its checksum");
            }
            boolean leader = header[12] == 1;
            SnapshotMeta loaded = decodeMeta(path, header, metaLength);
            long dataSize = loaded.sizeBytes();
            if (header.length + dataSize + 4 != size) {
                throw new StorageCorruptedException(path, header.length, "snapshot data size " + dataSize + " does not match the file");
            }
            verifyData(path, opened, header.length, dataSize);
            file = opened;
            dataOffset = header.length;
            meta = loaded;
            fromLeader = leader;
        } catch (IOException | RuntimeException e) {
            Segment.closeQuietly(opened);
            throw e;
        }
    }

    private static SnapshotMeta decodeMeta(Path path, byte[] header, int metaLength) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(header, 13, metaLength - 1));
            long index = in.readLong();
            long term = in.readLong();
            long dataSize = in.readLong();
            return new SnapshotMeta(index, term, Membership.readFrom(in), dataSize);
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageCorruptedException(path, 12, "unreadable snapshot metadata: " + e);
        }
    }

    private static void verifyData(Path path, StorageFile file, long offset, long size) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (long done = 0; done < size; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), size - done));
            file.readFully(buffer, offset + done);
            crc.update(buffer.array(), 0, buffer.limit());
            done += buffer.limit();
        }
        ByteBuffer stored = ByteBuffer.allocate(4);
        file.readFully(stored, offset + size);
        if (stored.getInt(0) != (int) crc.getValue()) {
            throw new StorageCorruptedException(path, offset, "snapshot data fails its checksum");
        }
    }

    private static byte[] encodeHeader(SnapshotMeta meta, boolean installedFromLeader) throws IOException {
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(metaBytes);
        out.writeByte(installedFromLeader ? 1 : 0);
        out.writeLong(meta.index());
        out.writeLong(meta.term());
        out.writeLong(meta.sizeBytes());
        meta.membership().writeTo(out);
        ByteBuffer header = ByteBuffer.allocate(12 + metaBytes.size() + 4);
        header.putInt(MAGIC).putInt(VERSION).putInt(metaBytes.size()).put(metaBytes.toByteArray());
        header.putInt(SegmentFormat.crc(header.array(), 0, header.position()));
        return header.array();
    }
}
