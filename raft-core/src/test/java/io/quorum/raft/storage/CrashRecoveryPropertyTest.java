package io.quorum.raft.storage;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random writes on {@link FaultyFiles}, with the process dying at a random file operation
 * inside a write and the disk then keeping none, a torn prefix, or a random subset of the sectors
 * that were not fsynced. After every restart the storage must hold a state the write was allowed
 * to leave ({@link LegalStates}); after a crash between writes, exactly the model's state.
 * A failure names the seed and step; rerun that seed alone to replay it.
 */
class CrashRecoveryPropertyTest {

    private static final Path DIR = Path.of("/data/n1");

    @Test
    void everyCrashLeavesALegalStateAndLosesNothingAcknowledged() {
        int crashes = 0;
        for (long seed = 1; seed <= 16; seed++) {
            crashes += run(seed, 160);
        }
        assertThat(crashes).as("mid-write crashes exercised").isGreaterThan(150);
    }

    private static int run(long seed, int steps) {
        Random random = new Random(seed);
        FaultyFiles files = new FaultyFiles();
        DurableStorage storage = DurableStorage.open(DIR, DurableStorageContractTest.SMALL, files);
        MemoryStorage model = new MemoryStorage();
        int crashes = 0;
        for (int step = 0; step < steps; step++) {
            String context = "seed " + seed + " step " + step;
            MemoryStorage before = LegalStates.copyOf(model);
            if (random.nextInt(3) == 0) {
                files.crashAfterOperations(random.nextInt(25));
            }
            try {
                RandomOperations.applyTo(random.nextLong(), model, storage);
                files.crashAfterOperations(-1);
            } catch (FaultyFiles.SimulatedCrash crash) {
                crashes++;
                storage = restart(files, random);
                LegalStates.assertLegal(before, model, storage, context);
                model = LegalStates.copyOf(storage);
                continue;
            }
            if (random.nextInt(6) == 0) {
                storage = restart(files, random);
            }
            RaftStorageContract.assertSameState(model, storage, context);
        }
        return crashes;
    }

    private static DurableStorage restart(FaultyFiles files, Random random) {
        FaultyFiles.CrashMode[] modes = FaultyFiles.CrashMode.values();
        files.crash(modes[random.nextInt(modes.length)], random);
        return DurableStorage.open(DIR, DurableStorageContractTest.SMALL, files);
    }
}
