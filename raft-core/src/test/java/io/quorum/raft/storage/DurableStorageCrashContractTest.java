package io.quorum.raft.storage;

import io.quorum.raft.protocol.RaftStorage;

import java.nio.file.Path;
import java.util.Random;

/**
 * The contract when the machine loses power after every write: whatever a write method made
 * durable before returning must be all that is needed. Runs on {@link FaultyFiles}, which forgets
 * every byte and every name that was not fsynced, and keeps torn fragments of unsynced writes.
 */
class DurableStorageCrashContractTest extends RaftStorageContract {

    private final Path dir = Path.of("/node");
    private final Random random = new Random(42);
    private FaultyFiles files;

    @Override
    protected RaftStorage create() {
        files = new FaultyFiles();
        return DurableStorage.open(dir, DurableStorageContractTest.SMALL, files);
    }

    @Override
    protected RaftStorage reopen(RaftStorage storage) {
        FaultyFiles.CrashMode[] modes = FaultyFiles.CrashMode.values();
        files.crash(modes[random.nextInt(modes.length)], random);
        return DurableStorage.open(dir, DurableStorageContractTest.SMALL, files);
    }
}
