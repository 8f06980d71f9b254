package io.quorum.raft.storage;

import io.quorum.raft.protocol.HardState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.quorum.raft.storage.RaftStorageContract.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damage that a crash cannot explain stops start-up with the file and offset, and start-up never
 * "repairs" it by dropping acknowledged entries.
 */
class CorruptLogRecoveryTest {

    private static final Path DIR = Path.of("/n1");
    private static final Path LOG = DIR.resolve("log");
    private static final StorageOptions SMALL = new StorageOptions(4096, 0);

    @Test
    void aBitFlipInASealedSegmentStopsStartupNamingFileAndOffset() {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        for (long i = 1; i <= 300; i += 10) {
            storage.appendAndSync(batch(1, i, i + 9));
        }
        Path first = LOG.resolve(SegmentFormat.fileName(1));
        long recordStart = SegmentFormat.HEADER_BYTES + batch(1, 1, 3).stream().mapToLong(SegmentFormat::recordBytes).sum();
        files.flipBit(first, recordStart + 30, 5);

        assertThatThrownBy(() -> DurableStorage.open(DIR, SMALL, files))
                .isInstanceOfSatisfying(StorageCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(first);
                    assertThat(e.offset()).isEqualTo(recordStart);
                    assertThat(e.getMessage()).contains(first.toString()).contains("offset " + recordStart);
                });
    }

    @Test
    void aBitFlipFollowedByALaterBatchInTheLastSegmentStopsStartup() {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, new StorageOptions(1 << 20, 0), files);
        storage.appendAndSync(batch(1, 1, 3));
        storage.appendAndSync(batch(1, 4, 6));
        storage.appendAndSync(batch(1, 7, 7));
        long recordOf5 = SegmentFormat.HEADER_BYTES + batch(1, 1, 4).stream().mapToLong(SegmentFormat::recordBytes).sum();
        // The length field itself: the record's extent can no longer be trusted.
        files.flipBit(LOG.resolve(SegmentFormat.fileName(1)), recordOf5 + 2, 1);

        assertThatThrownBy(() -> DurableStorage.open(DIR, new StorageOptions(1 << 20, 0), files))
                .isInstanceOf(StorageCorruptedException.class)
                .hasMessageContaining("offset " + recordOf5)
                .hasMessageContaining("later records were acknowledged");
    }

    @Test
    void aBitFlipInTheLastSegmentsHeaderStopsStartupWhileAHeaderTornAtCreationIsDropped() throws Exception {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        for (long i = 1; i <= 300; i += 10) {
            storage.appendAndSync(batch(1, i, i + 9));
        }
        List<Path> segments = files.list(LOG).stream().sorted().toList();
        Path last = segments.get(segments.size() - 1);
        files.flipBit(last, 9, 0);
        assertThatThrownBy(() -> DurableStorage.open(DIR, SMALL, files))
                .isInstanceOf(StorageCorruptedException.class).hasMessageContaining(last.toString()).hasMessageContaining("header");
        files.flipBit(last, 9, 0);

        // A segment whose creation was cut short: a partial header and nothing else.
        Path torn = LOG.resolve(SegmentFormat.fileName(301));
        try (StorageFile file = files.create(torn)) {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {0x51, 0x52, 0x4C}), 0);
            file.sync(true);
        }
        files.syncDirectory(LOG);
        storage = DurableStorage.open(DIR, SMALL, files);
        assertThat(storage.lastIndex()).isEqualTo(300);
        assertThat(files.list(LOG)).doesNotContain(torn);
    }

    @Test
    void corruptHardStateOrSnapshotStopsStartup() {
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        storage.appendAndSync(batch(1, 1, 10));
        storage.saveHardStateAndSync(new HardState(1, "n1", 10));
        storage.saveSnapshotAndCompact(RaftStorageContract.snapshot(5, 1, 300));
        Path hardState = DIR.resolve(HardStateFile.NAME);
        files.flipBit(hardState, 12, 0);
        assertThatThrownBy(() -> DurableStorage.open(DIR, SMALL, files))
                .isInstanceOf(StorageCorruptedException.class).hasMessageContaining(hardState.toString());
        files.flipBit(hardState, 12, 0);

        Path snapshot = DIR.resolve("snapshot").resolve(String.format("snapshot-%020d-%020d.snap", 5, 1));
        files.flipBit(snapshot, 200, 7);
        assertThatThrownBy(() -> DurableStorage.open(DIR, SMALL, files))
                .isInstanceOf(StorageCorruptedException.class).hasMessageContaining(snapshot.toString());
    }

    /**
     * Any single bit flipped anywhere in any file, with every entry committed: start-up either
     * stops with StorageCorruptedException (and, the bit restored, opens to the same state) or
     * opens to exactly the state before (the bit was in unused space).
     */
    @Test
    void everyBitFlipEitherStopsStartupOrChangesNothing() throws Exception {
        Random random = new Random(7);
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, SMALL, files);
        MemoryStorage model = new MemoryStorage();
        for (int step = 0; step < 120; step++) {
            RandomOperations.applyTo(random.nextLong(), model, storage);
        }
        HardState committed = new HardState(model.hardState().term(), null, model.lastIndex());
        model.saveHardStateAndSync(committed);
        storage.saveHardStateAndSync(committed);
        int stopped = 0;
        for (int flip = 0; flip < 400; flip++) {
            List<Path> all = new ArrayList<>(files.list(DIR));
            all.addAll(files.list(LOG));
            all.addAll(files.list(DIR.resolve("snapshot")));
            Path file = all.get(random.nextInt(all.size()));
            long size = files.sizeOf(file);
            if (size == 0) {
                continue;
            }
            long offset = (long) (random.nextDouble() * size);
            int bit = random.nextInt(8);
            files.flipBit(file, offset, bit);
            String context = "flip " + flip + " of " + file + " at " + offset;
            try {
                DurableStorage reopened = DurableStorage.open(DIR, SMALL, files);
                RaftStorageContract.assertSameState(model, reopened, context);
            } catch (StorageCorruptedException e) {
                stopped++;
                files.flipBit(file, offset, bit);
                RaftStorageContract.assertSameState(model, DurableStorage.open(DIR, SMALL, files), context + " restored");
            }
        }
        assertThat(stopped).as("flips that hit data").isGreaterThan(50);
    }
}
