package io.quorum.coord;

import java.util.ArrayList;
import java.util.List;

/**
 * The recent events, for watches: a ring of at most {@code capacity} events in index order.
 *
 * <p>When full, the oldest events are dropped a whole index at a time (one entry can make several
 * events), and {@link #compactedThrough} records the highest index dropped. A watch "after n" is
 * answerable when {@code n >= compactedThrough}: every event with index > n is still here.
 *
 * <p>The history is a cache of what the log produced, not replicated state: it is neither in the
 * snapshot nor in the state hash (replicas may keep different amounts). After a restore it starts
 * empty with {@code compactedThrough} = the snapshot's index, as etcd does after a compaction.
 */
final class EventLog {

    private final Event[] ring;
    private int head;
    private int size;
    private long compactedThrough;

    EventLog(int capacity, long compactedThrough) {
        this.ring = new Event[capacity];
        this.compactedThrough = compactedThrough;
    }

    void append(Event event) {
        if (size == ring.length) {
            dropOldestIndex();
        }
        ring[(head + size) % ring.length] = event;
        size++;
    }

    long compactedThrough() {
        return compactedThrough;
    }

    /**
     * Events with index > {@code afterIndex} whose key starts with {@code prefix} (only "" matches
     * {@code session-expired}, whose key is ""), at most {@code limit} of them ({@code <= 0}: all)
     * but never stopping inside one index, so "after the last index returned" resumes exactly.
     */
    EventPage after(long afterIndex, String prefix, int limit) {
        if (afterIndex < compactedThrough) {
            return new EventPage(List.of(), true);
        }
        List<Event> out = new ArrayList<>();
        for (int i = firstAfter(afterIndex); i < size; i++) {
            Event e = at(i);
            if (limit > 0 && out.size() >= limit && e.index() != out.get(out.size() - 1).index()) {
                break;
            }
            if (e.key().startsWith(prefix)) {
                out.add(e);
            }
        }
        return new EventPage(out, false);
    }

    private int firstAfter(long index) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).index() <= index) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void dropOldestIndex() {
        long dropped = at(0).index();
        while (size > 0 && at(0).index() == dropped) {
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        }
        compactedThrough = dropped;
    }

    private Event at(int i) {
        return ring[(head + i) % ring.length];
    }
}
