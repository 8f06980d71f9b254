package io.quorum.client;

import java.util.List;

/**
 * The answer of a long poll: the events after the requested index in index order (empty when the
 * wait ended first) and the index to watch from next.
 */
public record WatchPage(long index, List<Event> events) {

    public WatchPage {
        events = List.copyOf(events);
    }

    /** {@code type} is one of {@code put}, {@code delete}, {@code lock}, {@code unlock}, {@code session-expired}. */
    public record Event(long index, String type, String key, long version, long session, long token) {}
}
