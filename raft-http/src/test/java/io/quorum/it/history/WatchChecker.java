package io.quorum.it.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API.md's promise for one watch: events arrive in index order, none twice, none skipped. Skipped
 * events show against the final state: a key's {@code put} events carry versions 1, 2, … up to the
 * version a final read returned (keys that are written and never deleted).
 */
public final class WatchChecker {

    private WatchChecker() {}

    /**
     * @param events        what one watcher received, in arrival order
     * @param finalVersions for each key to check, its version in a final linearizable read
     */
    public static List<String> check(List<WatchedEvent> events, Map<String, Long> finalVersions) {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long lastIndex = 0;
        Map<String, Long> putVersion = new HashMap<>();
        for (WatchedEvent e : events) {
            if (e.index() < lastIndex) {
                violations.add("event " + e + " arrived after index " + lastIndex);
            }
            lastIndex = Math.max(lastIndex, e.index());
            if (!seen.add(e.index() + "/" + e.type() + "/" + e.key() + "/" + e.session())) {
                violations.add("event " + e + " arrived twice");
            }
            if (e.type().equals("put") && finalVersions.containsKey(e.key())) {
                long expected = putVersion.getOrDefault(e.key(), 0L) + 1;
                if (e.version() != expected) {
                    violations.add("put " + e + " of version " + e.version() + " where version " + expected + " was due");
                }
                putVersion.put(e.key(), e.version());
            }
        }
        finalVersions.forEach((key, version) -> {
            long watched = putVersion.getOrDefault(key, 0L);
            if (watched != version) {
                violations.add("key " + key + " is at version " + version + " but the watch saw puts up to " + watched);
            }
        });
        return violations;
    }
}
