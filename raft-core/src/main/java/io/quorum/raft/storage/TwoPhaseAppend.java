package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;

import java.util.List;

/**
 * A store whose {@code appendAndSync} can be split in two: the write, after which the entries can
 * be read, and the fsync that makes them durable. A caller that serializes every call with one lock
 * ({@code SynchronizedStorage}) holds it for the write only, so that the protocol thread's reads do
 * not wait for the fsync, which takes most of an append's time.
 *
 * <p>Writes, syncs included, must still come from one thread at a time: the returned sync runs
 * before that thread's next write.
 */
public interface TwoPhaseAppend {

    /**
     * Writes {@code entries} as {@code appendAndSync} does, except the final fsync; they can be read
     * at once, but are durable only when the returned sync returns.
     */
    PendingSync appendWithoutSync(List<Entry> entries);

    /** The fsync still owed for an append. */
    @FunctionalInterface
    interface PendingSync {

        /** Makes the append durable; throws {@link StorageFailedException} when the fsync fails. */
        void sync();
    }
}
