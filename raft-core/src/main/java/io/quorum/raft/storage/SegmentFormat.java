package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk format of the segmented log. All integers are big-endian.
 *
 * <h2>Files</h2>
 * The log lives in its own directory as segment files named {@code segment-<first index, 20
 * digits>.log}; sorted by name they are in log order. Only the last segment is written to. When
 * a batch does not fit in its remaining space, the segment is <em>sealed</em> (cut to the end of
 * its last record, fsynced) and a new one is created. A new segment is <em>preallocated</em>:
 * header, then zeros up to the segment size, fsynced together with its directory before the
 * first record goes in (64 MiB of zeros and an fsync take about 0.1 s on the disk measured). Rejected
 * alternatives: sparse files ({@code setLength}) and fallocate (not reachable from Java, and it
 * leaves unwritten extents): with either, appends allocate or convert blocks, a metadata change
 * that every fdatasync must then commit through the file system journal.
 *
 * <h2>Segment header (28 bytes)</h2>
 * <pre>
 *   0  int   magic 0x51524C47 ("QRLG")
 *   4  int   format version (1)
 *   8  long  first index: the index of the first record in this file
 *  16  long  prev term: the term of the entry at first index - 1 (0 for index 0)
 *  24  int   CRC32C of bytes 0..23
 * </pre>
 * The prev term is what lets start-up check that the log connects to the snapshot exactly as
 * Raft's AppendEntries consistency check would (§5.3): a segment starting at S + 1 belongs after
 * snapshot (S, T) only if its prev term is T.
 *
 * <h2>Record (25 bytes + payload), packed back to back after the header</h2>
 * <pre>
 *   0  int   length: the bytes after the checksum (17 + payload length); the data ends where
 *            only zeros remain up to the end of the file
 *   4  int   CRC32C of the length field and of every byte after the checksum up to length
 *   8  long  term
 *  16  long  index (the previous record's index + 1)
 *  24  byte  entry type code; bit 0x80 set on the last record of each appended batch
 *  25  ...   payload
 * </pre>
 * The batch-end bit marks an fsync point: an append returns only after the fsync that followed a
 * batch-end record, so a record that starts right after a batch-end record proves that the batch
 * before it was acknowledged.
 *
 * <h2>Appending, and what a crash leaves</h2>
 * A batch is encoded into one buffer, written at the end of data in one write, then the file is
 * fsynced once with {@code force(false)} (fdatasync): the segment was preallocated, so the write
 * changes neither the size nor the block allocation, and fdatasync skips only the timestamp update,
 * which would cost a journal commit per append. {@code force(true)} is kept for the rare writes that
 * change a file's size: creating, sealing and truncating segments. The append is acknowledged after
 * the fsync. What a crash leaves, step by step:
 * <ul>
 *   <li>During an append, before its fsync returned: any prefix, or with sector reordering any
 *       subset, of the batch may be on disk, followed by zeros. Start-up finds a bad or incomplete
 *       record, sees no valid record after a later batch end, and cuts the tail there: it was
 *       never acknowledged.</li>
 *   <li>While creating a segment: the new file may be missing, short, or without a valid header. It
 *       holds no records (none is written before creation completed): start-up deletes it, or, when
 *       its header is whole but its zeros are short, keeps it as an empty last segment that the next
 *       append replaces if the batch does not fit.</li>
 *   <li>While sealing: the file has its old length (zeros after the data) or the new one; it is the
 *       last segment either way, and both read the same.</li>
 *   <li>While truncating a suffix: segments are deleted from the end, each deletion durable before the
 *       next, and the file that keeps a prefix is cut with one ftruncate, which the file system
 *       journals atomically. Every intermediate state is the old log minus a suffix of the entries
 *       being replaced: what Raft lets a follower lose, since it is about to overwrite them.</li>
 *   <li>While compacting: segments below the snapshot that were not yet deleted are deleted at start-up.</li>
 *   <li>A checksum mismatch anywhere else (in a sealed segment, or followed by evidence of a later
 *       fsync) is corruption of acknowledged data: start-up stops with the file and offset and
 *       never cuts there. A mismatch in the very last record of the log cannot be told apart from a
 *       torn write; it is cut unless the hard state says that index was committed, which stops
 *       start-up as corruption.</li>
 * </ul>
 *
 * <h2>Truncation and compaction</h2>
 * Removing a conflicting suffix deletes later segments one by one from the end (each deletion made
 * durable before the next, so a crash never leaves a gap), then cuts the segment that keeps a
 * prefix at the first removed record and fsyncs; that segment is sealed and the next append
 * creates a new one. All of this is durable before any new record is written: otherwise an old
 * record could survive right after a new one with a matching index and be read back as its
 * successor. Overwriting with zeros instead was rejected: a torn overwrite leaves zeros followed by
 * acknowledged records, which reads as corruption.
 *
 * <p>Start-up overwrites a cut torn tail with zeros (and fsyncs) so that no fragment of it can be
 * mistaken for a record later; a crash during that overwrite only leaves less of the same garbage.
 * Compaction after a snapshot at S deletes whole segments whose last index is at most S, oldest
 * first (never the last segment); records at or below S in the first remaining one are skipped.
 */
final class SegmentFormat {

    static final int MAGIC = 0x51524C47;
    static final int VERSION = 1;
    static final int HEADER_BYTES = 28;
    /** length + crc + term + index + type. */
    static final int RECORD_OVERHEAD = 4 + 4 + 8 + 8 + 1;
    /** Value of the length field for an empty payload. */
    static final int MIN_LENGTH = 8 + 8 + 1;
    static final int BATCH_END = 0x80;
    /** Larger records are refused on write and taken as garbage on read. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".log";

    private SegmentFormat() {
    }

    static String fileName(long firstIndex) {
        return String.format("%s%020d%s", PREFIX, firstIndex, SUFFIX);
    }

    /** The first index encoded in a segment file name, or -1 when the name is not a segment's. */
    static long firstIndexOf(String fileName) {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)
                || fileName.length() != PREFIX.length() + 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(PREFIX.length(), PREFIX.length() + 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static ByteBuffer encodeHeader(long firstIndex, long prevTerm) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).putLong(firstIndex).putLong(prevTerm);
        header.putInt(crc(header.array(), 0, HEADER_BYTES - 4));
        return header.flip();
    }

    /** True when {@code bytes} holds a valid header for a segment starting at {@code firstIndex}. */
    static boolean isValidHeader(byte[] bytes, long firstIndex) {
        if (bytes.length < HEADER_BYTES) {
            return false;
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_BYTES);
        return header.getInt(0) == MAGIC
                && header.getInt(4) == VERSION
                && header.getLong(8) == firstIndex
                && header.getInt(24) == crc(bytes, 0, HEADER_BYTES - 4);
    }

    static long headerPrevTerm(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong(16);
    }

    static int recordBytes(Entry entry) {
        return RECORD_OVERHEAD + entry.data().length;
    }

    /** Total bytes of {@code batch} once encoded. */
    static int batchBytes(List<Entry> batch) {
        long total = 0;
        for (Entry entry : batch) {
            if (entry.data().length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("entry " + entry.index() + " is larger than " + MAX_PAYLOAD + " bytes");
            }
            total += recordBytes(entry);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + total + " bytes is too large for one write");
        }
        return (int) total;
    }

    /** Encodes {@code batch} into {@code out} (a heap buffer), marking its last record as the batch end. */
    static void encodeBatch(List<Entry> batch, ByteBuffer out) {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < batch.size(); i++) {
            Entry entry = batch.get(i);
            int start = out.position();
            int flags = i == batch.size() - 1 ? BATCH_END : 0;
            out.putInt(MIN_LENGTH + entry.data().length);
            out.putInt(0);
            out.putLong(entry.term()).putLong(entry.index()).put((byte) (entry.type().code() | flags)).put(entry.data());
            crc.reset();
            crc.update(out.array(), out.arrayOffset() + start, 4);
            crc.update(out.array(), out.arrayOffset() + start + 8, out.position() - start - 8);
            out.putInt(start + 4, (int) crc.getValue());
        }
    }

    /**
     * Decodes the record at {@code offset} of {@code bytes} (valid up to {@code limit}); null when
     * there is no complete record there with a matching checksum and an index in [minIndex, maxIndex].
     * The cheap checks come first so that probing every offset of a damaged region stays fast.
     */
    static Record decode(byte[] bytes, int offset, int limit, long minIndex, long maxIndex) {
        if (offset + RECORD_OVERHEAD > limit) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int length = buf.getInt(offset);
        if (length < MIN_LENGTH || length > MIN_LENGTH + MAX_PAYLOAD || (long) offset + 8 + length > limit) {
            return null;
        }
        int typeByte = bytes[offset + 24] & 0xFF;
        long index = buf.getLong(offset + 16);
        if ((typeByte & ~BATCH_END) > 2 || index < minIndex || index > maxIndex) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 4);
        crc.update(bytes, offset + 8, length);
        if ((int) crc.getValue() != buf.getInt(offset + 4)) {
            return null;
        }
        return new Record(offset, 8 + length, buf.getLong(offset + 8), index,
                typeByte, bytes, offset + RECORD_OVERHEAD, length - MIN_LENGTH);
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** One decoded record; the payload stays in the source array until {@link #toEntry()}. */
    record Record(int offset, int totalBytes, long term, long index, int typeByte,
                  byte[] source, int payloadOffset, int payloadLength) {

        boolean isBatchEnd() {
            return (typeByte & BATCH_END) != 0;
        }

        int end() {
            return offset + totalBytes;
        }

        Entry toEntry() {
            byte[] payload = new byte[payloadLength];
            System.arraycopy(source, payloadOffset, payload, 0, payloadLength);
            return new Entry(term, index, EntryType.fromCode(typeByte & ~BATCH_END), payload);
        }
    }
}
