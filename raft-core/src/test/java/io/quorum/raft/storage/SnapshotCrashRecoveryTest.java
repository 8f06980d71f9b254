package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static io.quorum.raft.storage.RaftStorageContract.batch;
import static io.quorum.raft.storage.RaftStorageContract.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot is made durable before the log it covers is touched. These tests stop right between
 * the two steps (by writing the snapshot file alone) and check what start-up makes of it.
 */
class SnapshotCrashRecoveryTest {

    private static final Path DIR = Path.of("/n1");
    private static final Path SNAPSHOTS = DIR.resolve("snapshot");
    private static final StorageOptions SMALL = new StorageOptions(4096, 0);

    private final FaultyFiles files = new FaultyFiles();

    /** Entries of 1000 bytes, three to a segment. */
    private void logOf20EntriesInTerm1() {
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        for (long i = 1; i <= 20; i++) {
            storage.appendAndSync(List.of(entry(i)));
        }
        storage.close();
    }

    private static Entry entry(long index) {
        return RaftStorageContract.entry(1, index, 1000);
    }

    private static List<Entry> entries(long from, long toInclusive) {
        return LongStream.rangeClosed(from, toInclusive).mapToObj(SnapshotCrashRecoveryTest::entry).toList();
    }

    /** The state a crash leaves after the snapshot file became durable and before the log was touched. */
    private void snapshotFileOnly(io.quorum.raft.protocol.Snapshot snapshot, boolean fromLeader) throws IOException {
        SnapshotStore store = SnapshotStore.open(files, SNAPSHOTS);
        store.saveAndSync(snapshot, fromLeader);
        store.close();
        files.crash(FaultyFiles.CrashMode.LOSE_UNSYNCED, new Random(1));
    }

    @Test
    void anOldLogThatDoesNotContinueALeadersSnapshotIsDiscarded() throws Exception {
        logOf20EntriesInTerm1();
        snapshotFileOnly(snapshot(30, 2, 100), true);
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        assertThat(storage.firstIndex()).isEqualTo(31);
        assertThat(storage.lastIndex()).isEqualTo(30);
        assertThat(files.list(DIR.resolve("log"))).isEmpty();
        storage.appendAndSync(batch(2, 31, 32));
        assertThat(DurableStorage.open(DIR, SMALL, files).entries(31, 33, Long.MAX_VALUE)).containsExactlyElementsOf(batch(2, 31, 32));
    }

    @Test
    void anOldLogThatHoldsTheSnapshotsIndexAndTermKeepsItsTailAsFigure13Does() throws Exception {
        logOf20EntriesInTerm1();
        snapshotFileOnly(snapshot(10, 1, 100), true);
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        assertThat(storage.firstIndex()).isEqualTo(11);
        assertThat(storage.entries(11, 21, Long.MAX_VALUE)).containsExactlyElementsOf(entries(11, 20));
    }

    @Test
    void anOldLogWithAnotherTermAtTheSnapshotsIndexIsDiscarded() throws Exception {
        logOf20EntriesInTerm1();
        snapshotFileOnly(snapshot(10, 2, 100), true);
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        assertThat(storage.firstIndex()).isEqualTo(11);
        assertThat(storage.lastIndex()).isEqualTo(10);
    }

    @Test
    void afterALocalSnapshotTheCoveredSegmentsAreDeletedAtStartup() throws Exception {
        logOf20EntriesInTerm1();
        int segments = files.list(DIR.resolve("log")).size();
        snapshotFileOnly(snapshot(18, 1, 100), false);
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        assertThat(storage.firstIndex()).isEqualTo(19);
        assertThat(storage.entries(19, 21, Long.MAX_VALUE)).containsExactlyElementsOf(entries(19, 20));
        assertThat(files.list(DIR.resolve("log")).size()).isLessThan(segments);
    }

    @Test
    void aGapAfterALocalSnapshotIsCorruption() throws Exception {
        logOf20EntriesInTerm1();
        snapshotFileOnly(snapshot(2, 1, 100), false);
        List<Path> log = files.list(DIR.resolve("log")).stream().sorted().toList();
        assertThat(log.size()).isGreaterThan(2);
        files.deleteIfExists(log.get(1));
        files.syncDirectory(DIR.resolve("log"));
        assertThatThrownBy(() -> DurableStorage.open(DIR, SMALL, files))
                .isInstanceOf(StorageCorruptedException.class)
                .hasMessageContaining(log.get(2).toString());
    }

    @Test
    void aLogThatDoesNotContinueALocalSnapshotIsCorruption() throws Exception {
        logOf20EntriesInTerm1();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        storage.saveSnapshotAndCompact(snapshot(10, 1, 100));
        storage.close();
        List<Path> log = files.list(DIR.resolve("log")).stream().sorted().toList();
        files.deleteIfExists(log.get(0));
        files.syncDirectory(DIR.resolve("log"));
        assertThatThrownBy(() -> DurableStorage.open(DIR, SMALL, files))
                .isInstanceOf(StorageCorruptedException.class)
                .hasMessageContaining("does not continue from the snapshot at index 10");
    }

    @Test
    void theLatestTwoSnapshotsAreKeptAndALeftoverTempFileIsDeleted() throws Exception {
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        storage.appendAndSync(batch(1, 1, 40));
        for (long index = 10; index <= 40; index += 10) {
            storage.saveSnapshotAndCompact(snapshot(index, 1, 50));
        }
        assertThat(files.list(SNAPSHOTS).stream().map(p -> p.getFileName().toString()).sorted())
                .containsExactly(String.format("snapshot-%020d-%020d.snap", 30, 1), String.format("snapshot-%020d-%020d.snap", 40, 1));
        files.create(SNAPSHOTS.resolve(String.format("snapshot-%020d-%020d.snap.tmp", 50, 1))).close();
        storage = DurableStorage.open(DIR, SMALL, files);
        assertThat(storage.snapshot()).isEqualTo(snapshot(40, 1, 50));
        assertThat(files.list(SNAPSHOTS)).hasSize(2);
    }
}
