package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.SnapshotMeta;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.quorum.raft.storage.RaftStorageContract.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The segment files themselves: rolling, sealing, truncation, compaction, one fsync per batch, reads from disk. */
class SegmentedLogTest {

    private static final Path DIR = Path.of("/n1");
    private static final Path LOG = DIR.resolve("log");
    private static final StorageOptions NO_CACHE = new StorageOptions(4096, 0);

    private final FaultyFiles files = new FaultyFiles();

    private List<String> segmentNames() throws Exception {
        return files.list(LOG).stream().map(p -> p.getFileName().toString()).sorted().toList();
    }

    @Test
    void fullSegmentsAreSealedAndANewOneStartsAtTheNextIndex() throws Exception {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        for (long i = 1; i <= 300; i += 10) {
            storage.appendAndSync(batch(1, i, i + 9));
        }
        List<String> names = segmentNames();
        assertThat(names.size()).isGreaterThan(2);
        assertThat(names.get(0)).isEqualTo(SegmentFormat.fileName(1));
        for (int i = 0; i < names.size() - 1; i++) {
            assertThat(files.sizeOf(LOG.resolve(names.get(i)))).as("sealed " + names.get(i)).isLessThan(4096);
        }
        assertThat(files.sizeOf(LOG.resolve(names.get(names.size() - 1)))).as("preallocated").isEqualTo(4096);
        assertThat(storage.entries(1, 301, Long.MAX_VALUE)).containsExactlyElementsOf(batch(1, 1, 300));
    }

    @Test
    void aBatchLargerThanASegmentGetsASegmentOfItsOwnSize() throws Exception {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        Entry big = RaftStorageContract.entry(1, 1, 10_000);
        storage.appendAndSync(List.of(big));
        storage.appendAndSync(batch(1, 2, 3));
        assertThat(segmentNames()).containsExactly(SegmentFormat.fileName(1), SegmentFormat.fileName(2));
        storage = DurableStorage.open(DIR, NO_CACHE, files);
        assertThat(storage.entries(1, 2, Long.MAX_VALUE)).containsExactly(big);
    }

    @Test
    void appendingABatchCostsOneFsync() {
        DurableStorage storage = DurableStorage.open(DIR, new StorageOptions(1 << 20, 0), files);
        storage.appendAndSync(batch(1, 1, 1));
        long before = files.syncCount();
        storage.appendAndSync(batch(1, 2, 60));
        assertThat(files.syncCount() - before).isEqualTo(1);
    }

    @Test
    void truncationDeletesLaterSegmentsAndCutsTheOneThatKeepsAPrefix() throws Exception {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        for (long i = 1; i <= 200; i += 10) {
            storage.appendAndSync(batch(1, i, i + 9));
        }
        int before = segmentNames().size();
        storage.appendAndSync(batch(2, 45, 46));
        assertThat(segmentNames().size()).isLessThan(before);
        assertThat(segmentNames()).last().isEqualTo(SegmentFormat.fileName(45));
        storage = DurableStorage.open(DIR, NO_CACHE, files);
        assertThat(storage.lastIndex()).isEqualTo(46);
        assertThat(storage.entries(40, 47, Long.MAX_VALUE))
                .containsExactlyElementsOf(RaftStorageContract.concat(batch(1, 40, 44), batch(2, 45, 46)));
    }

    @Test
    void compactionDeletesCoveredSegmentsButKeepsTheLastOne() throws Exception {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        for (long i = 1; i <= 200; i += 10) {
            storage.appendAndSync(batch(1, i, i + 9));
        }
        storage.saveSnapshotAndCompact(RaftStorageContract.snapshot(150, 1, 10));
        List<String> names = segmentNames();
        assertThat(SegmentFormat.firstIndexOf(names.get(0))).isLessThanOrEqualTo(151);
        assertThat(SegmentFormat.firstIndexOf(names.get(1))).isGreaterThan(151);
        storage.saveSnapshotAndCompact(RaftStorageContract.snapshot(200, 1, 10));
        assertThat(segmentNames()).hasSize(1);
        storage = DurableStorage.open(DIR, NO_CACHE, files);
        assertThat(storage.firstIndex()).isEqualTo(201);
        assertThat(storage.lastIndex()).isEqualTo(200);
        storage.appendAndSync(batch(2, 201, 201));
        assertThat(DurableStorage.open(DIR, NO_CACHE, files).term(201)).isEqualTo(2);
    }

    @Test
    void uncachedEntriesAreReadBackFromDiskAndChecked() {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        storage.appendAndSync(batch(1, 1, 30));
        assertThat(storage.entries(1, 31, Long.MAX_VALUE)).containsExactlyElementsOf(batch(1, 1, 30));
        Path segment = LOG.resolve(SegmentFormat.fileName(1));
        files.flipBit(segment, SegmentFormat.HEADER_BYTES + 30, 3);
        assertThatThrownBy(() -> storage.entries(1, 2, 100))
                .isInstanceOf(StorageCorruptedException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("offset " + SegmentFormat.HEADER_BYTES);
    }

    @Test
    void recentEntriesAreServedFromMemory() {
        DurableStorage storage = DurableStorage.open(DIR, new StorageOptions(4096, 1 << 20), files);
        storage.appendAndSync(batch(1, 1, 30));
        files.flipBit(LOG.resolve(SegmentFormat.fileName(1)), SegmentFormat.HEADER_BYTES + 30, 3);
        assertThat(storage.entries(1, 31, Long.MAX_VALUE)).containsExactlyElementsOf(batch(1, 1, 30));
    }

    @Test
    void hardStateFileIsReplacedNotRewritten() throws Exception {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        storage.saveHardStateAndSync(new HardState(1, "n1", 0));
        storage.saveHardStateAndSync(new HardState(2, null, 5));
        assertThat(files.list(DIR).stream().map(p -> p.getFileName().toString())).containsExactly(HardStateFile.NAME);
    }

    @Test
    void bootstrapStoresTheInitialConfigurationOnlyOnce() {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        SnapshotMeta initial = new SnapshotMeta(0, 0, RaftStorageContract.MEMBERS, 0);
        assertThat(storage.bootstrapIfNew(initial)).isTrue();
        storage = DurableStorage.open(DIR, NO_CACHE, files);
        assertThat(storage.snapshotMeta()).isEqualTo(initial);
        assertThat(storage.bootstrapIfNew(new SnapshotMeta(0, 0, RaftStorageContract.MEMBERS, 0))).isFalse();
        storage.appendAndSync(batch(1, 1, 3));
        assertThat(DurableStorage.open(DIR, NO_CACHE, files).lastIndex()).isEqualTo(3);
    }

    @Test
    void anOversizedEntryIsRefusedWithoutStoppingTheStorage() {
        DurableStorage storage = DurableStorage.open(DIR, NO_CACHE, files);
        Entry huge = new Entry(1, 1, io.quorum.raft.protocol.EntryType.NORMAL, new byte[SegmentFormat.MAX_PAYLOAD + 1]);
        assertThatThrownBy(() -> storage.appendAndSync(List.of(huge))).isInstanceOf(IllegalArgumentException.class);
        storage.appendAndSync(batch(1, 1, 1));
        assertThat(storage.lastIndex()).isEqualTo(1);
    }
}
