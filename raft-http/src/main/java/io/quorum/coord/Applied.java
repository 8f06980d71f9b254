package io.quorum.coord;

import java.util.List;

/**
 * What applying one log entry did: its result for the proposer, and the events it produced (in
 * order) for watches and for the node's waiting lock requests, which complete on the {@code lock}
 * event that names their session.
 */
public record Applied(long index, Result result, List<Event> events) {

    public Applied {
        events = List.copyOf(events);
    }
}
