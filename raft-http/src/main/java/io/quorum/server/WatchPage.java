package io.quorum.server;

import io.quorum.coord.Event;
import java.util.List;

/**
 * A long poll's answer: the events after the watch's index under its prefix, in index order, and
 * {@code index}, the index to watch after next (the last event's when the page was cut at its
 * limit, else this replica's applied index when read); {@code compacted} when some of the events
 * are no longer kept (410 COMPACTED).
 */
public record WatchPage(long index, List<Event> events, boolean compacted) {

    public WatchPage {
        events = List.copyOf(events);
    }
}
