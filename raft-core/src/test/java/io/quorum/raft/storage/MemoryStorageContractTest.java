package io.quorum.raft.storage;

import io.quorum.raft.protocol.RaftStorage;

class MemoryStorageContractTest extends RaftStorageContract {

    @Override
    protected RaftStorage create() {
        return new MemoryStorage();
    }
}
