package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import org.junit.jupiter.api.Test;

import static io.quorum.raft.storage.RaftStorageContract.batch;
import static io.quorum.raft.storage.RaftStorageContract.entry;
import static org.assertj.core.api.Assertions.assertThat;

class RecentEntriesTest {

    private static final long ENTRY_BYTES = entry(1, 1, 100).sizeBytes();

    private static RecentEntries holding(int entries) {
        return new RecentEntries(entries * ENTRY_BYTES);
    }

    private static void appendSingles(RecentEntries cache, long from, long toInclusive) {
        for (long i = from; i <= toInclusive; i++) {
            cache.append(java.util.List.of(entry(1, i, 100)));
        }
    }

    @Test
    void keepsTheMostRecentEntriesWithinItsBudget() {
        RecentEntries cache = holding(10);
        appendSingles(cache, 1, 25);
        assertThat(cache.get(15)).isNull();
        for (long i = 16; i <= 25; i++) {
            assertThat(cache.get(i)).isEqualTo(entry(1, i, 100));
        }
        assertThat(cache.get(26)).isNull();
    }

    @Test
    void truncationAndCompactionDropTheirEnds() {
        RecentEntries cache = holding(100);
        appendSingles(cache, 1, 20);
        cache.truncateFrom(15);
        assertThat(cache.get(14)).isNotNull();
        assertThat(cache.get(15)).isNull();
        cache.removeThrough(5);
        assertThat(cache.get(5)).isNull();
        assertThat(cache.get(6)).isEqualTo(entry(1, 6, 100));
        cache.append(batch(2, 15, 16));
        assertThat(cache.get(15)).isEqualTo(entry(2, 15));
    }

    @Test
    void aBatchThatDoesNotFollowStartsANewRun() {
        RecentEntries cache = holding(100);
        appendSingles(cache, 1, 5);
        cache.append(batch(2, 10, 11));
        assertThat(cache.get(5)).isNull();
        assertThat(cache.get(10)).isEqualTo(entry(2, 10));
    }

    @Test
    void longRunsStayCorrectAcrossInternalCompaction() {
        RecentEntries cache = holding(50);
        appendSingles(cache, 1, 5000);
        Entry last = cache.get(5000);
        assertThat(last).isEqualTo(entry(1, 5000, 100));
        assertThat(cache.get(4951)).isEqualTo(entry(1, 4951, 100));
        assertThat(cache.get(4950)).isNull();
        cache.clear();
        assertThat(cache.get(5000)).isNull();
    }
}
