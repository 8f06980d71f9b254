package io.quorum.coord;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Watches the events of one replica's applied entries and fails on the lock safety properties of
 * issue 5: per lock, fencing tokens strictly increase in grant order (grants made by one entry
 * share its index as their token), and an exclusive grant never overlaps another grant. For the
 * model-based tests here and for the Raft simulation, which feeds it every replica's {@link Applied}.
 */
public final class LockSafetyChecker {

    private final Map<String, Set<Long>> holders = new HashMap<>();
    private final Map<String, Long> lastToken = new HashMap<>();
    private final Map<String, Long> lastGrantIndex = new HashMap<>();

    /** Call after {@code sm} applied {@code applied}; {@code sm} tells the mode of the grants. */
    public void check(Applied applied, CoordStateMachine sm, String where) {
        for (Event e : applied.events()) {
            Set<Long> held = holders.computeIfAbsent(e.key(), k -> new LinkedHashSet<>());
            if (e.type() == EventType.UNLOCK) {
                require(held.remove(e.session()), where, "unlock of " + e.key() + " by non-holder " + e.session());
            } else if (e.type() == EventType.LOCK) {
                require(e.token() == e.index(), where, "token " + e.token() + " is not the granting index " + e.index());
                long previous = lastToken.getOrDefault(e.key(), 0L);
                boolean sameEntry = lastGrantIndex.getOrDefault(e.key(), -1L) == e.index();
                require(e.token() > previous || (sameEntry && e.token() == previous), where,
                        "token " + e.token() + " of " + e.key() + " does not increase past " + previous);
                lastToken.put(e.key(), e.token());
                lastGrantIndex.put(e.key(), e.index());
                held.add(e.session());
            }
        }
        for (Map.Entry<String, Set<Long>> entry : holders.entrySet()) {
            LockView lock = sm.lock(entry.getKey()).orElse(null);
            Set<Long> fromView = new LinkedHashSet<>();
            if (lock != null) {
                lock.holders().forEach(h -> fromView.add(h.session()));
                require(lock.mode() != LockMode.EXCLUSIVE || fromView.size() == 1, where,
                        "exclusive lock " + entry.getKey() + " with holders " + fromView);
            }
            require(fromView.equals(entry.getValue()), where,
                    "events say " + entry.getKey() + " is held by " + entry.getValue() + ", the state says " + fromView);
        }
    }

    private static void require(boolean ok, String where, String what) {
        if (!ok) {
            throw new AssertionError(where + ": " + what);
        }
    }
}
