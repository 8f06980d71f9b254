package io.quorum.raft.protocol;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations recorded in the log. A configuration takes effect as soon as its entry is in
 * a node's log, committed or not (thesis §4.1), so a follower that truncates a conflicting suffix
 * must fall back to the configuration before it. The base is the configuration of the snapshot.
 */
final class ConfigHistory {

    private Membership base;
    private final TreeMap<Long, Membership> byIndex = new TreeMap<>();

    ConfigHistory(Membership base) {
        this.base = base;
    }

    Membership latest() {
        return byIndex.isEmpty() ? base : byIndex.lastEntry().getValue();
    }

    long latestIndex() {
        return byIndex.isEmpty() ? 0 : byIndex.lastKey();
    }

    Membership at(long index) {
        Map.Entry<Long, Membership> entry = byIndex.floorEntry(index);
        return entry == null ? base : entry.getValue();
    }

    /**
     * Records the configuration entry at {@code index}. An invalid change (impossible from a
     * correct leader) is recorded as "no change" on every replica alike, since all replicas see
     * the same log prefix.
     */
    void record(long index, byte[] data) {
        Membership current = latest();
        Membership next;
        try {
            next = current.apply(ConfChange.decode(data));
        } catch (IllegalArgumentException e) {
            next = current;
        }
        byIndex.put(index, next);
    }

    /** Entries from {@code index} on were removed from the log. */
    void truncateFrom(long index) {
        byIndex.tailMap(index, true).clear();
    }

    /** The log was replaced by a snapshot. */
    void reset(Membership snapshotMembership) {
        base = snapshotMembership;
        byIndex.clear();
    }
}
