package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentFormatTest {

    private static ByteBuffer encodedRecord(Entry entry) {
        ByteBuffer encoded = ByteBuffer.allocate(SegmentFormat.recordBytes(entry));
        SegmentFormat.encodeBatch(List.of(entry), encoded);
        return encoded.flip();
    }

    @Test
    void batchRoundTripsWithTheBatchEndOnItsLastRecordOnly() {
        List<Entry> batch = RaftStorageContract.batch(3, 10, 14);
        ByteBuffer encoded = ByteBuffer.allocate(SegmentFormat.batchBytes(batch));
        SegmentFormat.encodeBatch(batch, encoded);
        assertThat(encoded.remaining()).isZero();
        byte[] bytes = encoded.array();
        int at = 0;
        for (Entry entry : batch) {
            SegmentFormat.Record record = SegmentFormat.decode(bytes, at, bytes.length, entry.index(), entry.index());
            assertThat(record).isNotNull();
            assertThat(record.toEntry()).isEqualTo(entry);
            assertThat(record.isBatchEnd()).isEqualTo(entry.index() == 14);
            assertThat(record.totalBytes()).isEqualTo(SegmentFormat.recordBytes(entry));
            at = record.end();
        }
        assertThat(at).isEqualTo(bytes.length);
    }

    @Test
    void recordLayoutIsLengthCrcTermIndexTypePayload() {
        Entry entry = RaftStorageContract.entry(7, 9, 5);
        ByteBuffer record = encodedRecord(entry);
        assertThat(record.getInt(0)).isEqualTo(8 + 8 + 1 + 5);
        assertThat(record.getLong(8)).isEqualTo(7);
        assertThat(record.getLong(16)).isEqualTo(9);
        assertThat(record.get(24) & 0x7F).isEqualTo(entry.type().code());
        assertThat(record.get(24) & 0x80).isEqualTo(0x80);
        assertThat(record.limit()).isEqualTo(SegmentFormat.RECORD_OVERHEAD + 5);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] bytes = encodedRecord(RaftStorageContract.entry(2, 5, 40)).array();
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(SegmentFormat.decode(flipped, 0, flipped.length, Long.MIN_VALUE, Long.MAX_VALUE))
                    .as("bit %d", bit).isNull();
        }
    }

    @Test
    void incompleteRecordsAndZerosDoNotDecode() {
        byte[] bytes = encodedRecord(RaftStorageContract.entry(2, 5, 40)).array();
        for (int cut = 0; cut < bytes.length; cut++) {
            assertThat(SegmentFormat.decode(bytes, 0, cut, Long.MIN_VALUE, Long.MAX_VALUE)).isNull();
        }
        assertThat(SegmentFormat.decode(new byte[100], 0, 100, Long.MIN_VALUE, Long.MAX_VALUE)).isNull();
        assertThat(SegmentFormat.decode(bytes, 0, bytes.length, 6, 10)).as("index outside the expected range").isNull();
    }

    @Test
    void segmentNamesSortInLogOrder() {
        assertThat(SegmentFormat.fileName(42)).isEqualTo("segment-00000000000000000042.log");
        assertThat(SegmentFormat.firstIndexOf("segment-00000000000000000042.log")).isEqualTo(42);
        assertThat(SegmentFormat.fileName(9).compareTo(SegmentFormat.fileName(10))).isNegative();
        assertThat(SegmentFormat.firstIndexOf("segment-42.log")).isEqualTo(-1);
        assertThat(SegmentFormat.firstIndexOf("hardstate")).isEqualTo(-1);
        assertThat(SegmentFormat.firstIndexOf("segment-0000000000000000004x.log")).isEqualTo(-1);
    }

    @Test
    void headerNamesItsFirstIndexAndPrevTerm() {
        byte[] header = SegmentFormat.encodeHeader(100, 7).array();
        assertThat(header).hasSize(SegmentFormat.HEADER_BYTES);
        assertThat(SegmentFormat.isValidHeader(header, 100)).isTrue();
        assertThat(SegmentFormat.isValidHeader(header, 101)).as("file renamed").isFalse();
        assertThat(SegmentFormat.headerPrevTerm(header)).isEqualTo(7);
        header[17] ^= 1;
        assertThat(SegmentFormat.isValidHeader(header, 100)).isFalse();
    }
}
