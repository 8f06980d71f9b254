package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.quorum.raft.storage.RaftStorageContract.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch torn by a crash before its fsync is cut at start-up, and nothing of it can come back later. */
class TornTailRecoveryTest {

    private static final Path DIR = Path.of("/n1");
    private static final Path FIRST_SEGMENT = DIR.resolve("log").resolve(SegmentFormat.fileName(1));
    private static final StorageOptions ONE_SEGMENT = new StorageOptions(64 << 10, 0);

    @Test
    void aTornLastBatchIsCutAndEveryAcknowledgedEntrySurvives() {
        for (long seed = 1; seed <= 120; seed++) {
            Random random = new Random(seed);
            FaultyFiles files = new FaultyFiles();
            DurableStorage storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
            long acked = 0;
            for (int b = random.nextInt(5); b >= 0; b--) {
                int size = 1 + random.nextInt(20);
                storage.appendAndSync(batch(1, acked + 1, acked + size));
                acked += size;
            }
            List<Entry> torn = batch(1, acked + 1, acked + 1 + random.nextInt(30));
            files.crashAfterOperations(1); // the write goes out, the process dies in the fsync
            DurableStorage dying = storage;
            assertThatThrownBy(() -> dying.appendAndSync(torn)).isInstanceOf(FaultyFiles.SimulatedCrash.class);
            files.crash(seed % 2 == 0 ? FaultyFiles.CrashMode.TEAR_LAST_WRITES : FaultyFiles.CrashMode.SCRAMBLE_SECTORS, random);

            storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
            String context = "seed " + seed;
            assertThat(storage.lastIndex()).as(context).isBetween(acked, torn.get(torn.size() - 1).index());
            assertThat(storage.entries(1, storage.lastIndex() + 1, Long.MAX_VALUE)).as(context)
                    .containsExactlyElementsOf(batch(1, 1, storage.lastIndex()));

            // A shorter batch of a new term replaces whatever survived; no fragment of the torn
            // batch may ever be read as its successor.
            List<Entry> replacement = batch(2, acked + 1, acked + 1);
            storage.appendAndSync(replacement);
            files.crash(FaultyFiles.CrashMode.LOSE_UNSYNCED, random);
            storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
            assertThat(storage.lastIndex()).as(context).isEqualTo(acked + 1);
            assertThat(storage.entries(acked + 1, acked + 2, Long.MAX_VALUE)).as(context).containsExactlyElementsOf(replacement);
        }
    }

    @Test
    void damagedRecordsFollowedByIntactOnesOfTheSameBatchAreStillATornTail() throws Exception {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
        storage.appendAndSync(batch(1, 1, 5));
        storage.appendAndSync(batch(1, 6, 8));
        // As if the sectors of record 6 never reached the disk while those of 7 and 8 did.
        long offsetOf6 = SegmentFormat.HEADER_BYTES;
        for (Entry entry : batch(1, 1, 5)) {
            offsetOf6 += SegmentFormat.recordBytes(entry);
        }
        try (StorageFile file = files.open(FIRST_SEGMENT)) {
            file.write(ByteBuffer.allocate(10), offsetOf6);
            file.sync(false);
        }
        files.crash(FaultyFiles.CrashMode.LOSE_UNSYNCED, new Random(1));

        storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
        assertThat(storage.lastIndex()).isEqualTo(5);
        storage.appendAndSync(batch(2, 6, 6));
        files.crash(FaultyFiles.CrashMode.LOSE_UNSYNCED, new Random(1));
        storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
        assertThat(storage.lastIndex()).isEqualTo(6);
        assertThat(storage.term(6)).isEqualTo(2);
    }

    @Test
    void aDamagedLastRecordIsCutOnlyWhenItWasNotCommitted() {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
        storage.appendAndSync(batch(1, 1, 10));
        storage.saveHardStateAndSync(new HardState(1, null, 10));
        long lastRecordEnd = SegmentFormat.HEADER_BYTES + batch(1, 1, 10).stream().mapToLong(SegmentFormat::recordBytes).sum();
        files.flipBit(FIRST_SEGMENT, lastRecordEnd - 1, 0);

        assertThatThrownBy(() -> DurableStorage.open(DIR, ONE_SEGMENT, files))
                .isInstanceOf(StorageCorruptedException.class)
                .hasMessageContaining("index 10 was committed");

        files.flipBit(FIRST_SEGMENT, lastRecordEnd - 1, 0);
        storage = DurableStorage.open(DIR, ONE_SEGMENT, files);
        storage.saveHardStateAndSync(new HardState(1, null, 9));
        files.flipBit(FIRST_SEGMENT, lastRecordEnd - 1, 0);
        assertThat(DurableStorage.open(DIR, ONE_SEGMENT, files).lastIndex()).isEqualTo(9);
    }

    @Test
    void aCrashWhileCreatingASegmentLeavesALogThatStillOpens() {
        for (int crashAt = 0; crashAt < 8; crashAt++) {
            FaultyFiles files = new FaultyFiles();
            StorageOptions small = new StorageOptions(4096, 0);
            DurableStorage storage = DurableStorage.open(DIR, small, files);
            storage.appendAndSync(batch(1, 1, 40));
            files.crashAfterOperations(crashAt);
            try {
                storage.appendAndSync(batch(1, 41, 100));
                files.crashAfterOperations(-1);
            } catch (FaultyFiles.SimulatedCrash expected) {
                // The process died somewhere in sealing, creating or writing the new segment.
            }
            files.crash(FaultyFiles.CrashMode.TEAR_LAST_WRITES, new Random(crashAt));
            storage = DurableStorage.open(DIR, small, files);
            assertThat(storage.lastIndex()).as("crash at operation " + crashAt).isIn(40L, 100L);
            storage.appendAndSync(batch(2, storage.lastIndex() + 1, storage.lastIndex() + 3));
            assertThat(DurableStorage.open(DIR, small, files).entries(1, 41, Long.MAX_VALUE))
                    .containsExactlyElementsOf(batch(1, 1, 40));
        }
    }
}
