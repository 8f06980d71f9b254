package io.quorum.raft.protocol;

import java.util.random.RandomGenerator;

/**
 * The Raft protocol for one node: a pure, single-threaded state machine. Skeleton of the public
 * surface; the implementation lands with the protocol issue.
 */
public final class Raft {

    public Raft(RaftConfig config, RaftStorage storage, RandomGenerator random) {
        this(config, storage, random, storage.snapshotMeta().index());
    }

    public Raft(RaftConfig config, RaftStorage storage, RandomGenerator random, long appliedIndex) {
        throw new IllegalStateException("protocol implementation in progress");
    }

    public String id() { return null; }
    public Role role() { return null; }
    public long term() { return 0; }
    public String leader() { return null; }
    public long commitIndex() { return 0; }
    public long lastIndex() { return 0; }
    public Membership membership() { return null; }
    public Membership membershipAt(long index) { return null; }
    public RaftStatus status() { return null; }
    public void tick() { }
    public void step(Message message) { }
    public void campaign() { }
    public long propose(byte[] command) { return 0; }
    public long proposeConfChange(ConfChange change) { return 0; }
    public void readIndex(long requestId) { }
    public void transferLeadership(String to) { }
    public boolean hasReady() { return false; }
    public Ready ready() { return null; }
    public void advance(Ready ready) { }
}
