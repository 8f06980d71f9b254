package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLogTest {

    private static Event put(long index, String key) {
        return new Event(index, EventType.PUT, key, 1, 0, 0);
    }

    @Test
    void eventsAfterAnIndexUnderAPrefix() {
        EventLog log = new EventLog(10, 0);
        log.append(put(1, "a/x"));
        log.append(put(2, "b/x"));
        log.append(put(3, "a/y"));
        log.append(new Event(4, EventType.SESSION_EXPIRED, "", 0, 9, 0));
        assertThat(log.after(0, "a/", 0).events()).containsExactly(put(1, "a/x"), put(3, "a/y"));
        assertThat(log.after(1, "a/", 0).events()).containsExactly(put(3, "a/y"));
        assertThat(log.after(3, "a/", 0).events()).isEmpty();
        assertThat(log.after(3, "", 0).events()).extracting(Event::type).containsExactly(EventType.SESSION_EXPIRED);
        assertThat(log.after(0, "", 0).compacted()).isFalse();
    }

    @Test
    void aFullHistoryDropsWholeIndexesAndSaysCompacted() {
        EventLog log = new EventLog(3, 0);
        log.append(put(1, "a"));
        log.append(put(2, "b"));
        log.append(put(2, "c"));
        log.append(put(3, "d"));
        assertThat(log.compactedThrough()).isEqualTo(1);
        assertThat(log.after(0, "", 0).compacted()).isTrue();
        assertThat(log.after(1, "", 0).events()).containsExactly(put(2, "b"), put(2, "c"), put(3, "d"));
        log.append(put(4, "e"));
        // Index 2 made two events: both go, so no watch sees half of an entry.
        assertThat(log.compactedThrough()).isEqualTo(2);
        assertThat(log.after(1, "", 0).compacted()).isTrue();
        assertThat(log.after(2, "", 0).events()).containsExactly(put(3, "d"), put(4, "e"));
    }

    @Test
    void aLimitNeverSplitsTheEventsOfOneIndex() {
        EventLog log = new EventLog(10, 0);
        log.append(put(1, "a"));
        log.append(put(2, "b"));
        log.append(put(2, "c"));
        log.append(put(3, "d"));
        assertThat(log.after(0, "", 2).events()).containsExactly(put(1, "a"), put(2, "b"), put(2, "c"));
        assertThat(log.after(0, "", 1).events()).containsExactly(put(1, "a"));
    }

    @Test
    void theStateMachineRecordsEveryChange() {
        Harness h = new Harness(new CoordConfig(1024, 10, 10, 4));
        long s = h.openSession(2_000, 0);
        h.put("k", "v");
        h.grant("l", s, LockMode.EXCLUSIVE);
        h.run(new Command.Delete("k", Command.ANY_VERSION, null));
        assertThat(h.sm.eventsAfter(0, "", 0).events()).extracting(Event::type)
                .containsExactly(EventType.PUT, EventType.LOCK, EventType.DELETE);
        h.advance(2_000);
        h.runDueWork();
        assertThat(h.sm.eventsAfter(2, "", 0).events()).extracting(Event::type, Event::index).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EventType.LOCK, 3L),
                org.assertj.core.groups.Tuple.tuple(EventType.DELETE, 4L),
                org.assertj.core.groups.Tuple.tuple(EventType.SESSION_EXPIRED, 5L),
                org.assertj.core.groups.Tuple.tuple(EventType.UNLOCK, 5L));
        assertThat(h.sm.eventsAfter(1, "", 0).compacted()).isTrue();
    }
}
