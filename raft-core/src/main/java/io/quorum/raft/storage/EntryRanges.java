package io.quorum.raft.storage;

import io.quorum.raft.protocol.CompactedException;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.RaftStorage;

import java.util.ArrayList;
import java.util.List;

/** The rules of {@link RaftStorage#entries}, in one place for every implementation. */
final class EntryRanges {

    private EntryRanges() {
    }

    /**
     * @throws CompactedException        when from is below firstIndex
     * @throws IndexOutOfBoundsException when toExclusive is past lastIndex + 1
     */
    static void checkRange(long from, long toExclusive, long firstIndex, long lastIndex) {
        if (from < firstIndex) {
            throw new CompactedException(from, firstIndex);
        }
        if (toExclusive > lastIndex + 1) {
            throw new IndexOutOfBoundsException("entries up to " + toExclusive + " > last index " + lastIndex);
        }
    }

    /** Entries in [from, toExclusive), stopping before maxBytes would be exceeded but returning at least one. */
    static <X extends Exception> List<Entry> collect(long from, long toExclusive, long maxBytes, EntryAt<X> entryAt) throws X {
        List<Entry> result = new ArrayList<>();
        long bytes = 0;
        for (long index = from; index < toExclusive; index++) {
            Entry entry = entryAt.entry(index);
            bytes += entry.sizeBytes();
            if (!result.isEmpty() && bytes > maxBytes) {
                break;
            }
            result.add(entry);
        }
        return result;
    }

    /** Reads one entry of the range. */
    @FunctionalInterface
    interface EntryAt<X extends Exception> {
        Entry entry(long index) throws X;
    }
}
