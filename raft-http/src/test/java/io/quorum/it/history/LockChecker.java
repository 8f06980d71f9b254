package io.quorum.it.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TESTING.md's lock properties over a {@link History} of lock clients and the events a watcher saw:
 * <ul>
 *   <li>per lock, fencing tokens strictly increase in grant order: in the event stream (index order),
 *       and between grants clients saw one after the other in real time;</li>
 *   <li>the counter each holder increments with its token ({@code X-Quorum-Fence}) loses no
 *       increment: its final value is at least the acknowledged increments and at most those plus
 *       the ones of unknown outcome;</li>
 *   <li>no grant to a session that had already expired: no {@code lock} event for a session after its
 *       {@code session-expired} event.</li>
 * </ul>
 */
public final class LockChecker {

    private LockChecker() {}

    /**
     * @param counterKey   the fenced counter's key
     * @param finalCounter its value read linearizably after the run (0 when absent)
     */
    public static List<String> check(List<HistoryOp> history, List<WatchedEvent> events, String counterKey,
                                     long finalCounter) {
        List<String> violations = new ArrayList<>();
        eventOrder(events, violations);
        realTimeOrder(history, violations);
        long acknowledged = history.stream().filter(o -> o.op().equals("incr") && o.key().equals(counterKey) && o.ok()).count();
        long unknown = history.stream()
                .filter(o -> o.op().equals("incr") && o.key().equals(counterKey) && o.outcome() == HistoryOp.Outcome.info)
                .count();
        if (finalCounter < acknowledged) {
            violations.add("counter " + counterKey + " lost increments: " + finalCounter + " < " + acknowledged + " acknowledged");
        }
        if (finalCounter > acknowledged + unknown) {
            violations.add("counter " + counterKey + " is " + finalCounter + ", more than " + acknowledged + " acknowledged + "
                    + unknown + " unknown increments");
        }
        return violations;
    }

    private static void eventOrder(List<WatchedEvent> events, List<String> violations) {
        Map<String, WatchedEvent> lastGrant = new HashMap<>();
        Set<Long> expired = new HashSet<>();
        for (WatchedEvent e : events) {
            switch (e.type()) {
                case "session-expired" -> expired.add(e.session());
                case "lock" -> {
                    if (expired.contains(e.session())) {
                        violations.add("lock " + e.key() + " granted to session " + e.session() + " after it expired: " + e);
                    }
                    WatchedEvent previous = lastGrant.get(e.key());
                    if (previous != null && e.token() <= previous.token()
                            && !(e.index() == previous.index() && e.token() == previous.token())) {
                        violations.add("lock " + e.key() + " token " + e.token() + " does not increase past " + previous.token()
                                + ": " + previous + " then " + e);
                    }
                    lastGrant.put(e.key(), e);
                }
                default -> { }
            }
        }
    }

    /** A grant a client saw complete before another was invoked has the smaller token. */
    private static void realTimeOrder(List<HistoryOp> history, List<String> violations) {
        Map<String, List<HistoryOp>> grants = new HashMap<>();
        for (HistoryOp op : history) {
            if (op.op().equals("acquire") && op.ok()) {
                grants.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        for (List<HistoryOp> list : grants.values()) {
            list.sort((a, b) -> Long.compare(a.complete(), b.complete()));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    HistoryOp a = list.get(i);
                    HistoryOp b = list.get(j);
                    if (a.complete() < b.invoke() && a.token() >= b.token() && a.session() != b.session()) {
                        violations.add("grant " + b + " after " + a + " has no larger token");
                    }
                }
            }
        }
    }
}
