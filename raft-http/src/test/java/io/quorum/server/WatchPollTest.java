package io.quorum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Command;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.Event;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The replica side of long polls: pages of the event history and the wake of parked watchers. */
class WatchPollTest {

    /** A history of 2 events, so COMPACTED is reached in a few puts (the server's is not configurable). */
    private final CoordReplica replica = new CoordReplica(new CoordConfig(1024, 10, 10, 2));
    private long index;

    private void put(String key) {
        Command put = new Command.Put(key, "v".getBytes(StandardCharsets.UTF_8), Command.ANY_VERSION, Command.NO_SESSION, null);
        replica.apply(++index, 1_000, CoordReplica.payloadOf(put));
    }

    private WatchPage page(long after, String prefix) {
        return replica.read(m -> WatchPoll.page(m, after, prefix));
    }

    @Test
    void aPageHasTheLaterEventsUnderThePrefixAndTheIndexToResumeAfter() {
        put("a/1");
        put("b/1");
        put("a/2");

        WatchPage page = page(1, "a/");

        assertThat(page.compacted()).isFalse();
        assertThat(page.events()).extracting(Event::key).containsExactly("a/2");
        assertThat(page.index()).isEqualTo(3);
        assertThat(page(3, "a/").events()).isEmpty();
    }

    @Test
    void anIndexOlderThanTheHistoryIsCompacted() {
        put("a/1");
        put("a/2");
        put("a/3");

        WatchPage page = page(0, "");

        assertThat(page.compacted()).isTrue();
        assertThat(page.index()).isEqualTo(3);
        assertThat(page(1, "").compacted()).isFalse();
    }

    @Test
    void aParkedWatcherWakesOnceForAnEventItWatches() {
        AtomicInteger woken = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        replica.watchers().park(0, "a/", woken::incrementAndGet);
        replica.watchers().park(0, "b/", other::incrementAndGet);

        put("a/1");
        put("a/2");

        assertThat(woken).hasValue(1);
        assertThat(other).hasValue(0);
        assertThat(replica.watchers().parkedCount()).isEqualTo(1);
    }

    @Test
    void aCancelledWatcherIsNotWoken() {
        AtomicInteger woken = new AtomicInteger();
        replica.watchers().park(0, "", woken::incrementAndGet).cancel();

        put("a/1");

        assertThat(woken).hasValue(0);
        assertThat(replica.watchers().parkedCount()).isZero();
    }
}
