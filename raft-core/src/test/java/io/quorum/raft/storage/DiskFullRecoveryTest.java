package io.quorum.raft.storage;

import io.quorum.raft.protocol.HardState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;

import static io.quorum.raft.storage.RaftStorageContract.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A full disk refuses writes with StorageFullException, leaves nothing behind, keeps reads working, and recovers. */
class DiskFullRecoveryTest {

    private static final Path DIR = Path.of("/n1");
    private static final StorageOptions SMALL = new StorageOptions(4096, 0);

    @Test
    void aFullDiskRefusesANewSegmentAndKeepsServingReads() throws Exception {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        storage.appendAndSync(batch(1, 1, 40));
        files.setFreeBytes(1000);
        int segments = files.list(DIR.resolve("log")).size();

        assertThatThrownBy(() -> storage.appendAndSync(batch(1, 41, 140)))
                .isInstanceOf(StorageFullException.class).hasMessageContaining("no space");
        assertThat(storage.lastIndex()).isEqualTo(40);
        assertThat(storage.entries(1, 41, Long.MAX_VALUE)).containsExactlyElementsOf(batch(1, 1, 40));
        assertThat(files.list(DIR.resolve("log"))).as("no partial segment left").hasSize(segments);
        assertThatThrownBy(() -> storage.appendAndSync(batch(1, 41, 140))).isInstanceOf(StorageFullException.class);

        files.setFreeBytes(Long.MAX_VALUE);
        storage.appendAndSync(batch(1, 41, 140));
        files.crash(FaultyFiles.CrashMode.LOSE_UNSYNCED, new Random(1));
        assertThat(DurableStorage.open(DIR, SMALL, files).entries(1, 141, Long.MAX_VALUE))
                .containsExactlyElementsOf(batch(1, 1, 140));
    }

    @Test
    void aFullDiskRefusesHardStateAndSnapshotsKeepingTheOldOnes() throws Exception {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        storage.appendAndSync(batch(1, 1, 20));
        storage.saveHardStateAndSync(new HardState(1, "n1", 3));
        files.setFreeBytes(20);

        assertThatThrownBy(() -> storage.saveHardStateAndSync(new HardState(2, "n2", 4))).isInstanceOf(StorageFullException.class);
        assertThat(storage.hardState()).isEqualTo(new HardState(1, "n1", 3));
        assertThatThrownBy(() -> storage.saveSnapshotAndCompact(RaftStorageContract.snapshot(10, 1, 500)))
                .isInstanceOf(StorageFullException.class);
        assertThat(storage.firstIndex()).isEqualTo(1);
        assertThat(files.list(DIR.resolve("snapshot"))).as("no temp file left").isEmpty();
        assertThat(files.list(DIR)).as("no temp file left").hasSize(1);

        files.crash(FaultyFiles.CrashMode.LOSE_UNSYNCED, new Random(1));
        DurableStorage restarted = DurableStorage.open(DIR, SMALL, files);
        assertThat(restarted.hardState()).isEqualTo(new HardState(1, "n1", 3));
        files.setFreeBytes(Long.MAX_VALUE);
        restarted.saveHardStateAndSync(new HardState(2, "n2", 4));
        restarted.saveSnapshotAndCompact(RaftStorageContract.snapshot(10, 1, 500));
        files.crash(FaultyFiles.CrashMode.LOSE_UNSYNCED, new Random(1));
        restarted = DurableStorage.open(DIR, SMALL, files);
        assertThat(restarted.hardState()).isEqualTo(new HardState(2, "n2", 4));
        assertThat(restarted.firstIndex()).isEqualTo(11);
    }
}
