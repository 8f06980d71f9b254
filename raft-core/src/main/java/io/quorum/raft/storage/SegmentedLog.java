package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The log as an ordered list of {@link Segment}s after a base point (the snapshot's index and
 * term). Format, crash behaviour and the order of writes are documented in {@link SegmentFormat}.
 *
 * <p>Not thread-safe: called from the single thread that carries out the protocol's Ready. Methods
 * ending in {@code AndSync} are durable when they return; all of them throw IOException for any
 * failure other than a full disk, which the caller must treat as fatal.
 */
final class SegmentedLog implements Closeable {

    private final StorageFiles files;
    private final Path dir;
    private final long segmentBytes;
    private final List<Segment> segments;
    private final RecentEntries recent;
    /** The snapshot point: the log holds the entries after baseIndex, and term(baseIndex) is baseTerm. */
    private long baseIndex;
    private long baseTerm;

    private SegmentedLog(StorageFiles files, Path dir, StorageOptions options, List<Segment> segments,
                         long baseIndex, long baseTerm) {
        this.files = files;
        this.dir = dir;
        this.segmentBytes = options.segmentBytes();
        this.segments = segments;
        this.recent = new RecentEntries(options.cacheBytes());
        this.baseIndex = baseIndex;
        this.baseTerm = baseTerm;
    }

    /**
     * Opens the log in {@code dir}, verifying every record (see {@link SegmentScan}), and keeps the
     * part that follows the snapshot (snapshotIndex, snapshotTerm).
     *
     * @param snapshotFromLeader whether that snapshot was installed from a leader; then a log that
     *                           does not connect to it is the old log that a crash kept from being
     *                           discarded, and is discarded now. After a local snapshot the log
     *                           always connects, so a gap there is corruption.
     * @param commitIndex        the durable commit index: a torn tail may not be cut at or below it
     */
    static SegmentedLog open(StorageFiles files, Path dir, StorageOptions options, long snapshotIndex,
                             long snapshotTerm, boolean snapshotFromLeader, long commitIndex) throws IOException {
        files.createDirectories(dir);
        List<Path> paths = new ArrayList<>();
        for (Path path : files.list(dir)) {
            if (SegmentFormat.firstIndexOf(path.getFileName().toString()) >= 0) {
                paths.add(path);
            }
        }
        paths.sort(Comparator.comparing(path -> path.getFileName().toString()));
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Segment segment = recoverSegment(files, dir, paths.get(i), i == paths.size() - 1, commitIndex);
            if (segment != null) {
                segments.add(segment);
            }
        }
        SegmentedLog log = new SegmentedLog(files, dir, options, segments, snapshotIndex, snapshotTerm);
        log.connectToSnapshot(snapshotFromLeader);
        return log;
    }

    private static Segment recoverSegment(StorageFiles files, Path dir, Path path, boolean last, long commitIndex)
            throws IOException {
        long firstIndex = SegmentFormat.firstIndexOf(path.getFileName().toString());
        StorageFile file = files.open(path);
        try {
            long size = file.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new StorageCorruptedException(path, size, "segment larger than 2 GiB");
            }
            byte[] bytes = new byte[(int) size];
            file.readFully(ByteBuffer.wrap(bytes), 0);
            SegmentScan.Result scan = SegmentScan.scan(path, bytes, firstIndex, last);
            if (scan == null) {
                file.close();
                files.deleteIfExists(path);
                files.syncDirectory(dir);
                return null;
            }
            if (scan.tornAt() >= 0) {
                if (scan.lastIndex() < commitIndex) {
                    throw new StorageCorruptedException(path, scan.tornAt(), "record fails its checksum, and index "
                            + (scan.lastIndex() + 1) + " was committed, so it is not a torn write");
                }
                // Zero the torn bytes so that no fragment of them can ever be read as a successor.
                file.write(ByteBuffer.allocate((int) (scan.garbageEnd() - scan.tornAt())), scan.tornAt());
                file.sync(false);
            }
            return Segment.recovered(path, file, scan, size);
        } catch (IOException | RuntimeException e) {
            Segment.closeQuietly(file);
            throw e;
        }
    }

    /**
     * Drops what the snapshot covers and checks that the rest continues from it the way Raft's
     * consistency check would (§5.3): the first remaining segment holds the snapshot's index with
     * its term, or starts right after it with the snapshot's term as its prev term.
     */
    private void connectToSnapshot(boolean snapshotFromLeader) throws IOException {
        while (!segments.isEmpty() && segments.get(0).lastIndex() < baseIndex) {
            deleteSegment(segments.remove(0));
        }
        if (segments.isEmpty()) {
            return;
        }
        Segment first = segments.get(0);
        boolean connected = first.firstIndex() - 1 <= baseIndex && first.term(baseIndex) == baseTerm;
        if (!connected) {
            if (!snapshotFromLeader) {
                throw new StorageCorruptedException(first.path(), 0, "log does not continue from the snapshot at index "
                        + baseIndex + " term " + baseTerm);
            }
            deleteAllSegments();
            return;
        }
        for (int i = 1; i < segments.size(); i++) {
            Segment previous = segments.get(i - 1);
            Segment next = segments.get(i);
            if (next.firstIndex() != previous.lastIndex() + 1 || next.prevTerm() != previous.term(previous.lastIndex())) {
                throw new StorageCorruptedException(next.path(), 0, "segment does not continue "
                        + previous.path().getFileName() + " (ends at " + previous.lastIndex() + ")");
            }
        }
        removeCoveredSegments();
    }

    long firstIndex() {
        return baseIndex + 1;
    }

    long lastIndex() {
        return segments.isEmpty() ? baseIndex : Math.max(baseIndex, segments.get(segments.size() - 1).lastIndex());
    }

    /** The term at {@code index}, for firstIndex() - 1 <= index <= lastIndex(). */
    long term(long index) {
        return index == baseIndex ? baseTerm : segmentOf(index).term(index);
    }

    /** The entry at {@code index}, for firstIndex() <= index <= lastIndex(). */
    Entry entry(long index) throws IOException {
        Entry cached = recent.get(index);
        return cached != null ? cached : segmentOf(index).read(index);
    }

    /**
     * Appends a contiguous batch starting at most at lastIndex() + 1, first removing the entries at
     * and after its first index; one fsync for the batch (two when a suffix is removed: the
     * removal is made durable before the new records are written).
     */
    void appendAndSync(List<Entry> batch) throws IOException {
        appendWithoutSync(batch).sync();
    }

    /**
     * {@link #appendAndSync} without the final fsync: returns the segment written, whose
     * {@link Segment#sync} makes the batch durable. The batch can be read at once.
     */
    Segment appendWithoutSync(List<Entry> batch) throws IOException {
        long first = batch.get(0).index();
        if (first <= lastIndex()) {
            truncateFromAndSync(first);
        }
        int bytes = SegmentFormat.batchBytes(batch);
        Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last == null || last.remaining() < bytes) {
            last = rollTo(first, bytes, last);
        }
        ByteBuffer encoded = ByteBuffer.allocate(bytes);
        SegmentFormat.encodeBatch(batch, encoded);
        last.append(encoded.flip(), batch);
        recent.append(batch);
        return last;
    }

    /** Removes the entries at and after {@code index} (> firstIndex() - 1); durable when it returns. */
    void truncateFromAndSync(long index) throws IOException {
        while (!segments.isEmpty() && segments.get(segments.size() - 1).firstIndex() >= index) {
            deleteSegment(segments.remove(segments.size() - 1));
        }
        if (!segments.isEmpty()) {
            segments.get(segments.size() - 1).truncateFromAndSync(index);
        }
        recent.truncateFrom(index);
    }

    /**
     * After a local snapshot at (index, term), which the log holds: moves the base there and
     * deletes the segments the snapshot makes unnecessary.
     */
    void compactThrough(long index, long term) throws IOException {
        baseIndex = index;
        baseTerm = term;
        removeCoveredSegments();
        recent.removeThrough(index);
    }

    /** After a snapshot from the leader: discards the whole log; the next append starts at index + 1. */
    void resetTo(long index, long term) throws IOException {
        deleteAllSegments();
        baseIndex = index;
        baseTerm = term;
        recent.clear();
    }

    @Override
    public void close() throws IOException {
        for (Segment segment : segments) {
            segment.close();
        }
    }

    /**
     * Deletes whole segments at or below the base, oldest first, except the last one: it is the
     * one being appended to, and its prev term is what connects an empty log to the snapshot.
     */
    private void removeCoveredSegments() throws IOException {
        while (segments.size() > 1 && segments.get(0).lastIndex() <= baseIndex) {
            deleteSegment(segments.remove(0));
        }
    }

    private Segment rollTo(long firstIndex, int batchBytes, Segment last) throws IOException {
        if (last != null) {
            if (last.isEmpty()) {
                // Its file name is the new segment's; it holds nothing worth keeping.
                deleteSegment(segments.remove(segments.size() - 1));
            } else {
                last.sealAndSync();
            }
        }
        long capacity = Math.max(segmentBytes, SegmentFormat.HEADER_BYTES + (long) batchBytes);
        Segment created = Segment.create(files, dir, firstIndex, term(firstIndex - 1), capacity);
        segments.add(created);
        return created;
    }

    private void deleteAllSegments() throws IOException {
        while (!segments.isEmpty()) {
            deleteSegment(segments.remove(segments.size() - 1));
        }
    }

    /** Each deletion is made durable before the next, so that a crash never leaves a gap. */
    private void deleteSegment(Segment segment) throws IOException {
        segment.close();
        files.deleteIfExists(segment.path());
        files.syncDirectory(dir);
    }

    private Segment segmentOf(long index) {
        if (index <= baseIndex || index > lastIndex()) {
            throw new IndexOutOfBoundsException("index " + index + " not in log (" + baseIndex + ", " + lastIndex() + "]");
        }
        int low = 0;
        int high = segments.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (segments.get(mid).firstIndex() <= index) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return segments.get(low);
    }
}
