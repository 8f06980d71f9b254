package io.quorum.raft.storage;

import io.quorum.raft.protocol.RaftStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The contract on the real file system, reopening the storage after every write (a clean restart),
 * with segments and cache small enough that rolls, multi-segment truncation and reads from disk
 * all happen.
 */
class DurableStorageContractTest extends RaftStorageContract {

    static final StorageOptions SMALL = new StorageOptions(4096, 1024);

    @TempDir
    Path dir;
    private DurableStorage current;
    private int opened;

    @Override
    protected RaftStorage create() {
        current = DurableStorage.open(dir.resolve("node" + opened++), SMALL, RealStorageFiles.INSTANCE);
        return current;
    }

    @Override
    protected int randomSeeds() {
        return 1;
    }

    @Override
    protected RaftStorage reopen(RaftStorage storage) {
        DurableStorage durable = (DurableStorage) storage;
        durable.close();
        current = DurableStorage.open(dir.resolve("node" + (opened - 1)), SMALL, RealStorageFiles.INSTANCE);
        return current;
    }

    @AfterEach
    void closeStorage() {
        if (current != null) {
            current.close();
        }
    }
}
