package io.quorum.raft.storage;

import io.quorum.raft.protocol.HardState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;

import static io.quorum.raft.storage.RaftStorageContract.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failed fsync stops the storage for good; the restarted node finds a state the write was allowed to leave. */
class FsyncFailureRecoveryTest {

    private static final Path DIR = Path.of("/n1");
    private static final StorageOptions SMALL = new StorageOptions(4096, 0);

    @Test
    void aFailedFsyncIsFatalAndNeverRetried() {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        storage.appendAndSync(batch(1, 1, 5));
        files.failSyncsAfter(0);
        assertThatThrownBy(() -> storage.appendAndSync(batch(1, 6, 8)))
                .isInstanceOf(StorageFailedException.class)
                .isNotInstanceOf(StorageCorruptedException.class)
                .hasMessageContaining("Input/output error");

        files.failSyncsAfter(-1);
        long syncs = files.syncCount();
        assertThatThrownBy(() -> storage.appendAndSync(batch(1, 6, 8)))
                .isInstanceOf(StorageFailedException.class).hasMessageContaining("earlier failure");
        assertThatThrownBy(() -> storage.saveHardStateAndSync(new HardState(2, null, 0)))
                .isInstanceOf(StorageFailedException.class).hasMessageContaining("earlier failure");
        assertThat(files.syncCount()).as("no retry touched the disk").isEqualTo(syncs);
        assertThat(storage.entries(1, 6, Long.MAX_VALUE)).containsExactlyElementsOf(batch(1, 1, 5));
    }

    @Test
    void afterAFailedFsyncARestartFindsALegalState() {
        int failures = 0;
        for (int syncsBeforeFailure = 0; syncsBeforeFailure < 60; syncsBeforeFailure++) {
            Random random = new Random(syncsBeforeFailure);
            FaultyFiles files = new FaultyFiles();
            DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
            MemoryStorage model = new MemoryStorage();
            files.failSyncsAfter(syncsBeforeFailure);
            for (int step = 0; step < 100; step++) {
                MemoryStorage before = LegalStates.copyOf(model);
                try {
                    RandomOperations.applyTo(random.nextLong(), model, storage);
                } catch (StorageFailedException e) {
                    failures++;
                    files.failSyncsAfter(-1);
                    FaultyFiles.CrashMode[] modes = FaultyFiles.CrashMode.values();
                    files.crash(modes[random.nextInt(modes.length)], random);
                    DurableStorage restarted = DurableStorage.open(DIR, SMALL, files);
                    LegalStates.assertLegal(before, model, restarted, "fsync failure after " + syncsBeforeFailure);
                    break;
                }
            }
        }
        assertThat(failures).isGreaterThan(50);
    }
}
