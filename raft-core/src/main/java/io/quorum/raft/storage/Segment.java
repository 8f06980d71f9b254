package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One segment file of the log (format in {@link SegmentFormat}) with the in-memory index that lets
 * any entry be read with one positional read: the file offset and the term of every record.
 * Keeping terms in memory (8 bytes an entry) means {@code term(i)}, which the protocol calls on
 * every AppendEntries, never touches the disk.
 *
 * <p>Not thread-safe; owned by {@link SegmentedLog}. Methods that write do not fsync unless their
 * name says so; the caller decides where the fsync point of a batch is.
 */
final class Segment implements Closeable {

    private static final int ZERO_CHUNK = 1 << 20;

    private final Path path;
    private final StorageFile file;
    private final long firstIndex;
    private final long prevTerm;
    private long[] offsets;
    private long[] terms;
    private int count;
    /** Where the next record goes: the end of the last record. */
    private long dataEnd;
    /** The file's size; the bytes between dataEnd and capacity are zeros. */
    private long capacity;

    private Segment(Path path, StorageFile file, long firstIndex, long prevTerm,
                    long[] offsets, long[] terms, int count, long dataEnd, long capacity) {
        this.path = path;
        this.file = file;
        this.firstIndex = firstIndex;
        this.prevTerm = prevTerm;
        this.offsets = offsets;
        this.terms = terms;
        this.count = count;
        this.dataEnd = dataEnd;
        this.capacity = capacity;
    }

    /**
     * Creates and preallocates a segment: header, zeros up to {@code capacity}, fsync of the file
     * and of the directory, so that later appends change neither size nor name and fdatasync is
     * enough. On failure nothing is left behind; running out of space throws
     * {@link StorageFullException}, any other failure is an IOException for the caller to treat as fatal.
     */
    static Segment create(StorageFiles files, Path dir, long firstIndex, long prevTerm, long capacity) throws IOException {
        Path path = dir.resolve(SegmentFormat.fileName(firstIndex));
        StorageFile file = files.create(path);
        try {
            file.write(SegmentFormat.encodeHeader(firstIndex, prevTerm), 0);
            writeZeros(file, SegmentFormat.HEADER_BYTES, capacity);
            file.sync(true);
            files.syncDirectory(dir);
        } catch (IOException e) {
            closeQuietly(file);
            try {
                files.deleteIfExists(path);
                files.syncDirectory(dir);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
                throw e;
            }
            if (DiskErrors.isOutOfSpace(e)) {
                throw new StorageFullException("no space to create log segment " + path, e);
            }
            throw e;
        }
        return new Segment(path, file, firstIndex, prevTerm, new long[64], new long[64], 0,
                SegmentFormat.HEADER_BYTES, capacity);
    }

    /** A segment whose records start-up has verified (see {@link SegmentScan}). */
    static Segment recovered(Path path, StorageFile file, SegmentScan.Result scan, long capacity) {
        return new Segment(path, file, scan.firstIndex(), scan.prevTerm(), scan.offsets(), scan.terms(),
                scan.count(), scan.dataEnd(), capacity);
    }

    Path path() {
        return path;
    }

    long firstIndex() {
        return firstIndex;
    }

    /** firstIndex - 1 when the segment holds no record. */
    long lastIndex() {
        return firstIndex + count - 1;
    }

    long prevTerm() {
        return prevTerm;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Free bytes after the last record. */
    long remaining() {
        return capacity - dataEnd;
    }

    /** The term at {@code index}, for firstIndex - 1 <= index <= lastIndex. */
    long term(long index) {
        return index == firstIndex - 1 ? prevTerm : terms[slot(index)];
    }

    /** Reads the record at {@code index} back from the file and checks its checksum. */
    Entry read(long index) throws IOException {
        int slot = slot(index);
        long offset = offsets[slot];
        long end = slot + 1 < count ? offsets[slot + 1] : dataEnd;
        byte[] bytes = new byte[(int) (end - offset)];
        file.readFully(ByteBuffer.wrap(bytes), offset);
        SegmentFormat.Record record = SegmentFormat.decode(bytes, 0, bytes.length, index, index);
        if (record == null) {
            throw new StorageCorruptedException(path, offset, "record of index " + index + " fails its checksum on read");
        }
        return record.toEntry();
    }

    /**
     * Writes an encoded batch after the last record (no fsync). {@code encoded} must fit in
     * {@link #remaining()} and hold exactly {@code batch}, whose first index is lastIndex + 1.
     */
    void append(ByteBuffer encoded, List<Entry> batch) throws IOException {
        long at = dataEnd;
        file.write(encoded, at);
        ensureRoom(count + batch.size());
        for (Entry entry : batch) {
            offsets[count] = at;
            terms[count] = entry.term();
            count++;
            at += SegmentFormat.recordBytes(entry);
        }
        dataEnd = at;
    }

    /** fdatasync: enough for appends, which change neither the size nor the allocation of the file. */
    void sync() throws IOException {
        file.sync(false);
    }

    /**
     * Removes the records at and after {@code index} (firstIndex <= index <= lastIndex + 1) by
     * cutting the file there, and fsyncs: the removal is durable before any record replaces them.
     * The segment is sealed afterwards; the next append starts a new one.
     *
     * <p>Rejected alternative: overwriting the removed records with zeros to keep the preallocated
     * space. A crash part-way through that overwrite leaves zeros followed by intact acknowledged
     * records, which start-up must (and does) take for corruption. Cutting the file is one metadata
     * change that the file system journals atomically: the old length or the new one survives.
     */
    void truncateFromAndSync(long index) throws IOException {
        if (index > lastIndex()) {
            return;
        }
        dataEnd = offsets[slot(index)];
        count = (int) (index - firstIndex);
        sealAndSync();
    }

    /** Cuts the preallocated zeros so the file ends with its last record; after this, {@link #remaining()} is 0. */
    void sealAndSync() throws IOException {
        if (capacity == dataEnd) {
            return;
        }
        file.truncate(dataEnd);
        file.sync(true);
        capacity = dataEnd;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private int slot(long index) {
        if (index < firstIndex || index > lastIndex()) {
            throw new IndexOutOfBoundsException("index " + index + " not in " + path.getFileName());
        }
        return (int) (index - firstIndex);
    }

    private void ensureRoom(int needed) {
        if (needed > offsets.length) {
            int size = Math.max(needed, offsets.length * 2);
            offsets = Arrays.copyOf(offsets, size);
            terms = Arrays.copyOf(terms, size);
        }
    }

    private static void writeZeros(StorageFile file, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK, Math.max(0, to - from)));
        for (long at = from; at < to; ) {
            int n = (int) Math.min(zeros.capacity(), to - at);
            zeros.clear().limit(n);
            file.write(zeros, at);
            at += n;
        }
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Already failing; the first error is the one reported.
        }
    }
}
