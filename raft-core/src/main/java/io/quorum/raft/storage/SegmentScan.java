package io.quorum.raft.storage;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Start-up verification of one segment file: checks the header and every record's checksum and
 * index, and decides what a bad record means (rules in {@link SegmentFormat}): in the last segment,
 * a torn tail to cut unless a later fsync point follows it; anywhere else, corruption.
 */
final class SegmentScan {

    /** What the scan found. {@code tornAt} is the offset of the cut tail, or -1. */
    record Result(long firstIndex, long prevTerm, long[] offsets, long[] terms, int count,
                  long dataEnd, long tornAt, long garbageEnd) {

        long lastIndex() {
            return firstIndex + count - 1;
        }

        long lastTerm() {
            return count == 0 ? prevTerm : terms[count - 1];
        }
    }

    private SegmentScan() {
    }

    /**
     * Scans {@code bytes}, the whole content of {@code path}.
     *
     * @param last whether this is the last segment, the only one a torn write can have touched
     * @return the verified records, or null when {@code last} and the file was never completely
     *         created (no valid header, nothing but zeros after it): the caller deletes it
     * @throws StorageCorruptedException on corruption that a torn write cannot explain
     */
    static Result scan(Path path, byte[] bytes, long firstIndex, boolean last) {
        int limit = lastNonZero(bytes) + 1;
        if (!SegmentFormat.isValidHeader(bytes, firstIndex)) {
            if (last && limit <= SegmentFormat.HEADER_BYTES) {
                return null;
            }
            throw new StorageCorruptedException(path, 0, "bad segment header");
        }
        long prevTerm = SegmentFormat.headerPrevTerm(bytes);
        long[] offsets = new long[64];
        long[] terms = new long[64];
        int count = 0;
        long lastTerm = prevTerm;
        int at = SegmentFormat.HEADER_BYTES;
        while (at < limit) {
            long expected = firstIndex + count;
            SegmentFormat.Record record = SegmentFormat.decode(bytes, at, bytes.length, Long.MIN_VALUE, Long.MAX_VALUE);
            if (record == null) {
                if (!last) {
                    throw new StorageCorruptedException(path, at, "record fails its checksum in a sealed segment");
                }
                if (laterFsyncPointFollows(bytes, at, limit, expected, lastTerm)) {
                    throw new StorageCorruptedException(path, at,
                            "record fails its checksum but later records were acknowledged after it");
                }
                return new Result(firstIndex, prevTerm, offsets, terms, count, at, at, limit);
            }
            if (record.index() != expected) {
                throw new StorageCorruptedException(path, at, "record has index " + record.index() + ", expected " + expected);
            }
            if (record.term() < lastTerm) {
                throw new StorageCorruptedException(path, at, "term " + record.term() + " after term " + lastTerm);
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                terms = Arrays.copyOf(terms, count * 2);
            }
            offsets[count] = at;
            terms[count] = record.term();
            lastTerm = record.term();
            count++;
            at = record.end();
        }
        return new Result(firstIndex, prevTerm, offsets, terms, count, at, -1, at);
    }

    /**
     * True when, somewhere after the bad record at {@code from}, a valid batch-end record is directly
     * followed by another valid record: a batch was then written after an fsync completed, so the
     * bad record was acknowledged. Probes every offset, since the bad record's length cannot be trusted.
     */
    private static boolean laterFsyncPointFollows(byte[] bytes, int from, int limit, long firstPossibleIndex, long minTerm) {
        long maxIndex = firstPossibleIndex + (limit - from) / SegmentFormat.RECORD_OVERHEAD;
        for (int at = from + 1; at + SegmentFormat.RECORD_OVERHEAD <= limit; at++) {
            SegmentFormat.Record record = SegmentFormat.decode(bytes, at, bytes.length, firstPossibleIndex, maxIndex);
            if (record != null && record.term() >= minTerm && record.isBatchEnd()) {
                SegmentFormat.Record next = SegmentFormat.decode(bytes, record.end(), bytes.length, record.index() + 1, record.index() + 1);
                if (next != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int lastNonZero(byte[] bytes) {
        int i = bytes.length - 1;
        while (i >= 0 && bytes[i] == 0) {
            i--;
        }
        return i;
    }
}
