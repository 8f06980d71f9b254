package io.quorum.coord;

import java.util.ArrayList;
import java.util.List;

/**
 * The entry being applied: its index (the fencing token of any grant it makes, the id of a session
 * it opens, the createIndex/modIndex of keys it writes), the cluster time after its stamp, and
 * the events it has produced so far.
 */
final class ApplyContext {

    final long index;
    final long now;
    private final List<Event> events = new ArrayList<>();

    ApplyContext(long index, long now) {
        this.index = index;
        this.now = now;
    }

    void emit(EventType type, String key, long version, long session, long token) {
        events.add(new Event(index, type, key, version, session, token));
    }

    List<Event> events() {
        return events;
    }
}
