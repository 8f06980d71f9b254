package io.quorum.raft.sim;

/**
 * The replicated state machine a simulation runs on top of the protocol. The harness applies
 * committed commands in log order, takes and restores snapshots, and serves linearizable reads
 * through {@link #query} once a ReadIndex has been applied. Implementations must be deterministic:
 * replicas that applied the same commands report the same {@link #fingerprint()}.
 *
 * <p>The raft-core simulation uses {@link KvStateMachine}; the coordination layer plugs in its own
 * state machine and runs the same fault schedule.
 */
public interface SimStateMachine {

    /** Applies the committed command at {@code index}. Called once per NORMAL entry, in index order. */
    void apply(long index, byte[] command);

    /** The whole state, as bytes {@link #restore} accepts. */
    byte[] snapshot();

    /** Replaces the state with a snapshot; an empty array is the initial (empty) state. */
    void restore(byte[] snapshot);

    /** Answers a read against the current state; never changes it. */
    byte[] query(byte[] query);

    /** A digest of the whole state: equal on every replica at the same applied index. */
    long fingerprint();
}
