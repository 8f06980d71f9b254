package io.quorum.raft.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The protocol's view of the log: what is durable in {@link RaftStorage} plus the entries (and at
 * most one received snapshot) that are not durable yet. Only the single protocol thread touches it.
 *
 * <p>Unstable entries start at {@code unstableOffset}; they may overwrite a suffix of what storage
 * holds (a follower repairing a conflict) — storage's own suffix is then dead and every read at or
 * after {@code unstableOffset} comes from here. Entries leave the unstable list when the shell
 * reports them durable ({@link #stableTo}), and only if they were not replaced meanwhile.
 */
final class RaftLog {

    private final RaftStorage storage;
    private Snapshot pendingSnapshot;
    private final ArrayList<Entry> unstable = new ArrayList<>();
    private long unstableOffset;
    /** Entries up to here have been handed out in a Ready for persistence. */
    private long handedOutTo;
    private long committed;
    /** Entries up to here have been handed to the application for applying. */
    private long applied;

    RaftLog(RaftStorage storage, long committed, long applied) {
        this.storage = storage;
        this.unstableOffset = storage.lastIndex() + 1;
        this.handedOutTo = storage.lastIndex();
        long snapshotIndex = storage.snapshotMeta().index();
        this.committed = Math.max(committed, snapshotIndex);
        this.applied = Math.max(applied, snapshotIndex);
        if (this.committed > lastIndex()) {
            throw new IllegalStateException("commit index " + this.committed + " beyond last log index " + lastIndex()
                    + ": the log lost durable entries");
        }
        if (this.applied > this.committed) {
            throw new IllegalStateException("applied " + this.applied + " beyond commit " + this.committed);
        }
    }

    long firstIndex() {
        return pendingSnapshot != null ? pendingSnapshot.meta().index() + 1 : storage.firstIndex();
    }

    long lastIndex() {
        if (!unstable.isEmpty()) {
            return unstableOffset + unstable.size() - 1;
        }
        return pendingSnapshot != null ? pendingSnapshot.meta().index() : storage.lastIndex();
    }

    /** The last index known durable: everything before the unstable entries. */
    long lastStableIndex() {
        return unstable.isEmpty() ? lastIndex() : unstableOffset - 1;
    }

    long lastTerm() {
        return term(lastIndex());
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    /**
     * The term at {@code index}, or 0 when the index is past the end of the log.
     *
     * @throws CompactedException when the index is below the snapshot
     */
    long term(long index) {
        if (index > lastIndex()) {
            return 0;
        }
        if (index >= unstableOffset && !unstable.isEmpty()) {
            return unstable.get((int) (index - unstableOffset)).term();
        }
        if (pendingSnapshot != null) {
            if (index == pendingSnapshot.meta().index()) {
                return pendingSnapshot.meta().term();
            }
            throw new CompactedException(index, firstIndex());
        }
        return storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        try {
            return term(index) == term;
        } catch (CompactedException e) {
            return false;
        }
    }

    /** §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up-to-date as ours? */
    boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        long ourLastTerm = lastTerm();
        return otherLastTerm > ourLastTerm || (otherLastTerm == ourLastTerm && otherLastIndex >= lastIndex());
    }

    /** Entries in [from, toExclusive) up to maxBytes (at least one). */
    List<Entry> entries(long from, long toExclusive, long maxBytes) {
        if (from >= toExclusive) {
            return List.of();
        }
        if (from < firstIndex()) {
            throw new CompactedException(from, firstIndex());
        }
        List<Entry> result = new ArrayList<>();
        long bytes = 0;
        long storageEnd = Math.min(toExclusive, unstable.isEmpty() ? toExclusive : unstableOffset);
        if (pendingSnapshot == null && from < storageEnd) {
            List<Entry> stored = storage.entries(from, Math.min(storageEnd, storage.lastIndex() + 1), maxBytes);
            for (Entry e : stored) {
                bytes += e.sizeBytes();
            }
            result.addAll(stored);
            if (stored.isEmpty() || stored.get(stored.size() - 1).index() + 1 < storageEnd || bytes >= maxBytes) {
                return result;
            }
        }
        long next = result.isEmpty() ? from : result.get(result.size() - 1).index() + 1;
        for (long i = Math.max(next, unstableOffset); i < toExclusive && i <= lastIndex(); i++) {
            Entry e = unstable.get((int) (i - unstableOffset));
            bytes += e.sizeBytes();
            if (!result.isEmpty() && bytes > maxBytes) {
                break;
            }
            result.add(e);
        }
        return result;
    }

    /** The leader's append of its own new entry. */
    void append(Entry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalStateException("append at " + entry.index() + " after " + lastIndex());
        }
        if (unstable.isEmpty()) {
            unstableOffset = entry.index();
        }
        unstable.add(entry);
    }

    /**
     * A follower's append of entries that follow a matching (prevIndex, prevTerm): skips the entries
     * it already has, and from the first conflict (same index, other term) replaces its suffix (§5.3).
     *
     * @return the index of the first entry that was written, or -1 when nothing changed
     */
    long appendFollowing(List<Entry> entries) {
        for (Entry e : entries) {
            if (!matchTerm(e.index(), e.term())) {
                if (e.index() <= committed) {
                    throw new IllegalStateException("conflict at committed index " + e.index() + " (commit " + committed + ")");
                }
                truncateAndAppend(entries.subList((int) (e.index() - entries.get(0).index()), entries.size()));
                return e.index();
            }
        }
        return -1;
    }

    private void truncateAndAppend(List<Entry> suffix) {
        long after = suffix.get(0).index();
        if (!unstable.isEmpty() && after == unstableOffset + unstable.size()) {
            unstable.addAll(suffix);
        } else if (unstable.isEmpty() || after <= unstableOffset) {
            unstable.clear();
            unstable.addAll(suffix);
            unstableOffset = after;
        } else {
            unstable.subList((int) (after - unstableOffset), unstable.size()).clear();
            unstable.addAll(suffix);
        }
        handedOutTo = Math.min(handedOutTo, after - 1);
    }

    /**
     * The index of the last entry at or before {@code index} whose term is at most {@code term}: the
     * leader (or follower) can skip every entry after it when backtracking after a rejection.
     */
    long findConflictByTerm(long index, long term) {
        long i = Math.min(index, lastIndex());
        try {
            while (i >= firstIndex() && term(i) > term) {
                i--;
            }
        } catch (CompactedException e) {
            return i;
        }
        return i;
    }

    /** Replaces the whole log with a snapshot received from the leader (§7). */
    void restore(Snapshot snapshot) {
        pendingSnapshot = snapshot;
        unstable.clear();
        unstableOffset = snapshot.meta().index() + 1;
        handedOutTo = snapshot.meta().index();
        committed = snapshot.meta().index();
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " beyond last index " + lastIndex());
            }
            committed = index;
        }
    }

    // ---- handing work to the shell ----

    Snapshot pendingSnapshot() {
        return pendingSnapshot;
    }

    List<Entry> entriesToPersist() {
        if (unstable.isEmpty() || handedOutTo >= lastIndex()) {
            return List.of();
        }
        long from = Math.max(handedOutTo + 1, unstableOffset);
        return new ArrayList<>(unstable.subList((int) (from - unstableOffset), unstable.size()));
    }

    boolean hasEntriesToApply() {
        return pendingSnapshot == null && committed > applied;
    }

    List<Entry> entriesToApply(long maxBytes) {
        if (!hasEntriesToApply()) {
            return List.of();
        }
        return entries(applied + 1, committed + 1, maxBytes);
    }

    void markHandedOut(List<Entry> persisted) {
        if (!persisted.isEmpty()) {
            handedOutTo = Math.max(handedOutTo, persisted.get(persisted.size() - 1).index());
        }
    }

    /**
     * The shell made entries up to (index, term) durable: drop them from the unstable list unless a
     * later conflict replaced them meanwhile.
     */
    void stableTo(long index, long term) {
        if (unstable.isEmpty() || index < unstableOffset || index > lastIndex()) {
            return;
        }
        if (unstable.get((int) (index - unstableOffset)).term() != term) {
            return;
        }
        unstable.subList(0, (int) (index - unstableOffset + 1)).clear();
        unstableOffset = index + 1;
    }

    void snapshotStable(Snapshot snapshot) {
        if (pendingSnapshot != null && pendingSnapshot.meta().index() == snapshot.meta().index()) {
            pendingSnapshot = null;
            applied = Math.max(applied, snapshot.meta().index());
        }
    }

    void appliedTo(long index) {
        if (index > committed) {
            throw new IllegalStateException("applied " + index + " beyond commit " + committed);
        }
        applied = Math.max(applied, index);
    }
}
