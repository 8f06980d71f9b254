package io.quorum.raft.protocol;

import java.util.List;

/**
 * The durable state of one node: hard state, the log after the latest snapshot, and that snapshot.
 *
 * <p>The protocol only reads through this interface (the read methods below); the shell writes,
 * carrying out a {@link Ready}. Implementations: an in-memory one for tests and simulation, and the
 * segmented log on disk.
 *
 * <p>Threads: the protocol reads from its own thread while the shell writes from a storage thread.
 * An implementation must let reads of entries that are already durable (and of the snapshot) run
 * safely while a write appends after them, truncates a suffix the reader no longer uses, or
 * compacts a prefix (a read of a compacted index then throws {@link CompactedException}). Writes
 * come from one thread at a time.
 *
 * <p>Index arithmetic: after a snapshot at index S, {@link #firstIndex()} is S + 1 and
 * {@link #term(long)} answers for S itself (the snapshot's term). An empty log has
 * {@code lastIndex() == firstIndex() - 1}.
 */
public interface RaftStorage {

    // ---- read side, used by the protocol ----

    /** The hard state last made durable; {@link HardState#EMPTY} for a new node. May block briefly; never throws for a healthy store. */
    HardState hardState();

    /** The latest durable snapshot's metadata; index 0 when there is none. */
    SnapshotMeta snapshotMeta();

    /** The first index held in the log (snapshot index + 1). */
    long firstIndex();

    /** The last index held in the log, or the snapshot index when the log is empty. */
    long lastIndex();

    /**
     * The term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}.
     *
     * @throws CompactedException when index is below the snapshot
     * @throws IndexOutOfBoundsException when index is past the last entry
     */
    long term(long index);

    /**
     * Entries in [from, toExclusive), stopping before {@code maxBytes} would be exceeded but always
     * returning at least one entry when the range is non-empty.
     *
     * @throws CompactedException when from is below firstIndex
     */
    List<Entry> entries(long from, long toExclusive, long maxBytes);

    /**
     * Up to {@code maxBytes} of the latest snapshot's data starting at {@code offset}; empty at the end.
     * The protocol uses it to send InstallSnapshot chunks.
     */
    byte[] readSnapshotChunk(long offset, int maxBytes);

    // ---- write side, used by the shell ----

    /**
     * Appends entries, first removing any existing entries at or after the first new index; durable
     * when it returns. The batch is contiguous and starts at most at lastIndex() + 1.
     */
    void appendAndSync(List<Entry> entries);

    /** Makes the hard state durable; atomic (the old or the new value survives a crash, never a mix). */
    void saveHardStateAndSync(HardState state);

    /**
     * Makes a snapshot received from the leader durable and discards the whole log it covers
     * (and any entries after it: the leader's snapshot wins).
     */
    void installSnapshotAndSync(Snapshot snapshot);

    /**
     * Records a snapshot the local state machine took at {@code meta.index()} (which must be
     * applied, hence committed and in the log) and discards log entries up to that index.
     */
    void saveSnapshotAndCompact(Snapshot snapshot);
}
