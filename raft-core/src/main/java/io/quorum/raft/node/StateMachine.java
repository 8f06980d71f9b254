package io.quorum.raft.node;

/**
 * The application replicated by a {@link RaftNode}. Every replica applies the same commands in the
 * same order, so the implementation must be deterministic: the result and the new state depend
 * only on the previous state and the arguments — never on a clock, a random source, a thread or
 * iteration order of a hash map.
 *
 * <p>All methods are called from one thread, the node's apply thread, never concurrently; they
 * may take time (the protocol keeps running meanwhile) but should not block on I/O for long.
 *
 * @param <R> the result handed to the proposer of a command
 */
public interface StateMachine<R> {

    /**
     * Applies one committed command.
     *
     * @param index           the command's log index: unique, increasing, the same on every replica
     * @param leaderTimeMillis the wall-clock time of the leader that proposed the command, in ms
     *                         since the epoch; the same on every replica (cluster time). Not monotonic
     *                         across leaders: keep the maximum seen if time must not go backwards.
     * @return the result for the proposer; returned to the caller of {@link RaftNode#propose} on the
     *         node where the command was proposed
     */
    R apply(long index, long leaderTimeMillis, byte[] command);

    /** The whole state as bytes, reflecting every command applied so far. */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot's; an empty array means the initial, empty state. */
    void restore(byte[] snapshot);
}
