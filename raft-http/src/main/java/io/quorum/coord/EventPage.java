package io.quorum.coord;

import java.util.List;

/**
 * The answer to a watch: the events after an index, or {@code compacted} (410 COMPACTED) when some
 * of them are no longer kept.
 */
public record EventPage(List<Event> events, boolean compacted) {

    public EventPage {
        events = List.copyOf(events);
    }
}
