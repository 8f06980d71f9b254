package io.quorum.server;

import io.quorum.coord.Applied;
import io.quorum.coord.Event;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watches parked on this node, waiting for an event after their index under their prefix.
 * {@link #applied} runs on the apply thread, under the replica's lock, for every entry, and wakes
 * (once) each watcher that one of the entry's events concerns; a woken watcher is no longer parked
 * and re-reads the event history itself. A snapshot install wakes every watcher, since the entries
 * it covers were never applied here (the re-read then answers COMPACTED).
 *
 * <p>Bounded: at most {@link #MAX_WATCHERS} parked; {@link #park} refuses beyond that.
 */
final class EventWatchers {

    static final int MAX_WATCHERS = 10_000;

    private final Set<Watcher> parked = ConcurrentHashMap.newKeySet();

    /** Parks a watcher that runs {@code wake} once; null when {@link #MAX_WATCHERS} are parked. */
    Watcher park(long afterIndex, String prefix, Runnable wake) {
        if (parked.size() >= MAX_WATCHERS) {
            return null;
        }
        Watcher w = new Watcher(afterIndex, prefix, wake);
        parked.add(w);
        return w;
    }

    int parkedCount() {
        return parked.size();
    }

    /** On the apply thread, under the replica's lock. */
    void applied(Applied a) {
        if (parked.isEmpty() || a.events().isEmpty()) {
            return;
        }
        for (Watcher w : parked) {
            if (a.events().stream().anyMatch(w::concerns)) {
                w.wake();
            }
        }
    }

    /** After a snapshot install, under the replica's lock. */
    void restored() {
        parked.forEach(Watcher::wake);
    }

    /** One parked watch. */
    final class Watcher {

        private final long afterIndex;
        private final String prefix;
        private final Runnable onWake;

        private Watcher(long afterIndex, String prefix, Runnable onWake) {
            this.afterIndex = afterIndex;
            this.prefix = prefix;
            this.onWake = onWake;
        }

        private boolean concerns(Event e) {
            return e.index() > afterIndex && e.key().startsWith(prefix);
        }

        private void wake() {
            if (parked.remove(this)) {
                onWake.run();
            }
        }

        /** Leaves the parked set without waking. */
        void cancel() {
            parked.remove(this);
        }
    }
}
