package io.quorum.raft.protocol;

/**
 * The answer to {@link Raft#readIndex(long)}: once this node has applied {@code index}, a read
 * that started before the request was made may be served from local state and is linearizable.
 */
public record ReadState(long requestId, long index) {
}
