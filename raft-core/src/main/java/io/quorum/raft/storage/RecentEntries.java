package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent entries of the log, up to a byte budget, so that the reads a healthy cluster
 * makes (a leader sending what it just appended, the shell applying what just committed) never
 * touch the disk. Older entries are read back from their segment with one positional read.
 * Rejected alternative: every entry in memory, which makes memory grow with the log between
 * snapshots, and recovery read every payload into the heap.
 *
 * <p>Holds a contiguous run of indexes ending at the log's last index.
 */
final class RecentEntries {

    private final long budgetBytes;
    private final ArrayList<Entry> entries = new ArrayList<>();
    /** Position in {@link #entries} of the oldest cached entry; the slots before it are evicted. */
    private int head;
    private long bytes;

    RecentEntries(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The cached entry at {@code index}, or null. */
    Entry get(long index) {
        if (head == entries.size()) {
            return null;
        }
        long first = entries.get(head).index();
        long position = index - first + head;
        return index >= first && position < entries.size() ? entries.get((int) position) : null;
    }

    /** Adds a batch that follows the cached run (or starts a new run when it does not). */
    void append(List<Entry> batch) {
        if (head < entries.size() && entries.get(entries.size() - 1).index() + 1 != batch.get(0).index()) {
            clear();
        }
        for (Entry entry : batch) {
            entries.add(entry);
            bytes += entry.sizeBytes();
        }
        while (bytes > budgetBytes && head < entries.size()) {
            bytes -= entries.get(head).sizeBytes();
            entries.set(head, null);
            head++;
        }
        if (head > 1024 && head > entries.size() / 2) {
            entries.subList(0, head).clear();
            head = 0;
        }
    }

    /** Drops the cached entries at and after {@code index}. */
    void truncateFrom(long index) {
        while (head < entries.size() && entries.get(entries.size() - 1).index() >= index) {
            bytes -= entries.remove(entries.size() - 1).sizeBytes();
        }
    }

    /** Drops the cached entries at and before {@code index}. */
    void removeThrough(long index) {
        while (head < entries.size() && entries.get(head).index() <= index) {
            bytes -= entries.get(head).sizeBytes();
            entries.set(head, null);
            head++;
        }
    }

    void clear() {
        entries.clear();
        head = 0;
        bytes = 0;
    }
}
