package io.quorum.raft.storage;

import io.quorum.raft.protocol.CompactedException;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link RaftStorage} shares, run against each implementation by a subclass.
 * {@link #reopen} lets a durable implementation restart (or crash) after every write: what the
 * contract promises must hold across that too.
 */
abstract class RaftStorageContract {

    static final Membership MEMBERS = Membership.ofVoters(List.of("n1", "n2", "n3"));

    /** A new, empty storage. */
    protected abstract RaftStorage create();

    /** Seeds and steps of {@link #randomOperationsBehaveLikeTheModel}; fewer where each write costs real fsyncs. */
    protected int randomSeeds() {
        return 4;
    }

    /** The storage as a restarted node would see it; the same object for in-memory storage. */
    protected RaftStorage reopen(RaftStorage storage) {
        return storage;
    }

    static Entry entry(long term, long index) {
        return entry(term, index, 8 + (int) (index % 5) * 7);
    }

    static Entry entry(long term, long index, int size) {
        byte[] data = new byte[size];
        byte[] label = ("t" + term + "i" + index + ";").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            data[i] = label[i % label.length];
        }
        return new Entry(term, index, index % 7 == 0 ? EntryType.NOOP : EntryType.NORMAL, data);
    }

    static List<Entry> batch(long term, long from, long toInclusive) {
        List<Entry> entries = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            entries.add(entry(term, i));
        }
        return entries;
    }

    static Snapshot snapshot(long index, long term, int size) {
        byte[] data = new byte[size];
        new Random(index * 31 + term).nextBytes(data);
        return new Snapshot(new SnapshotMeta(index, term, MEMBERS, size), data);
    }

    @Test
    void newStorageIsEmpty() {
        RaftStorage storage = create();
        assertThat(storage.hardState()).isEqualTo(HardState.EMPTY);
        assertThat(storage.snapshotMeta().index()).isZero();
        assertThat(storage.firstIndex()).isEqualTo(1);
        assertThat(storage.lastIndex()).isZero();
        assertThat(storage.term(0)).isZero();
        assertThat(storage.entries(1, 1, 100)).isEmpty();
        assertThatThrownBy(() -> storage.term(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(storage.readSnapshotChunk(0, 10)).isEmpty();
    }

    @Test
    void appendedEntriesReadBackWithTheirTerms() {
        RaftStorage storage = create();
        storage.appendAndSync(batch(1, 1, 3));
        storage = reopen(storage);
        storage.appendAndSync(batch(2, 4, 10));
        RaftStorage reopened = reopen(storage);
        assertThat(reopened.lastIndex()).isEqualTo(10);
        assertThat(reopened.entries(1, 11, Long.MAX_VALUE)).containsExactlyElementsOf(concat(batch(1, 1, 3), batch(2, 4, 10)));
        assertThat(reopened.term(3)).isEqualTo(1);
        assertThat(reopened.term(4)).isEqualTo(2);
        assertThatThrownBy(() -> reopened.entries(5, 12, 100)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void entriesStopBeforeMaxBytesButReturnAtLeastOne() {
        RaftStorage storage = create();
        storage.appendAndSync(List.of(entry(1, 1, 100), entry(1, 2, 100), entry(1, 3, 100)));
        storage = reopen(storage);
        long one = entry(1, 1, 100).sizeBytes();
        assertThat(storage.entries(1, 4, 1)).hasSize(1);
        assertThat(storage.entries(1, 4, 2 * one)).hasSize(2);
        assertThat(storage.entries(1, 4, 2 * one + 1)).hasSize(2);
        assertThat(storage.entries(2, 4, Long.MAX_VALUE)).hasSize(2);
    }

    @Test
    void conflictingAppendReplacesTheSuffix() {
        RaftStorage storage = create();
        storage.appendAndSync(batch(1, 1, 10));
        storage = reopen(storage);
        storage.appendAndSync(batch(3, 6, 7));
        storage = reopen(storage);
        assertThat(storage.lastIndex()).isEqualTo(7);
        assertThat(storage.entries(1, 8, Long.MAX_VALUE)).containsExactlyElementsOf(concat(batch(1, 1, 5), batch(3, 6, 7)));
        storage.appendAndSync(batch(4, 1, 1));
        storage = reopen(storage);
        assertThat(storage.lastIndex()).isEqualTo(1);
        assertThat(storage.term(1)).isEqualTo(4);
    }

    @Test
    void appendsThatWouldLeaveAGapOrRewriteTheSnapshotAreRejected() {
        RaftStorage storage = create();
        storage.appendAndSync(batch(1, 1, 5));
        assertThatThrownBy(() -> storage.appendAndSync(batch(1, 7, 8))).isInstanceOf(IllegalArgumentException.class);
        storage.saveSnapshotAndCompact(snapshot(3, 1, 10));
        assertThatThrownBy(() -> storage.appendAndSync(batch(2, 3, 4))).isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.lastIndex()).isEqualTo(5);
        storage.appendAndSync(List.of());
        assertThat(storage.lastIndex()).isEqualTo(5);
    }

    @Test
    void hardStateIsKept() {
        RaftStorage storage = create();
        storage.saveHardStateAndSync(new HardState(3, "n2", 0));
        storage = reopen(storage);
        assertThat(storage.hardState()).isEqualTo(new HardState(3, "n2", 0));
        storage.saveHardStateAndSync(new HardState(4, null, 7));
        storage = reopen(storage);
        assertThat(storage.hardState()).isEqualTo(new HardState(4, null, 7));
    }

    @Test
    void localSnapshotCompactsThePrefix() {
        RaftStorage storage = create();
        storage.appendAndSync(batch(1, 1, 4));
        storage.appendAndSync(batch(2, 5, 12));
        storage = reopen(storage);
        storage.saveSnapshotAndCompact(snapshot(6, 2, 100));
        storage = reopen(storage);
        RaftStorage compacted = storage;
        assertThat(compacted.firstIndex()).isEqualTo(7);
        assertThat(compacted.lastIndex()).isEqualTo(12);
        assertThat(compacted.snapshotMeta()).isEqualTo(snapshot(6, 2, 100).meta());
        assertThat(compacted.term(6)).isEqualTo(2);
        assertThatThrownBy(() -> compacted.term(5)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> compacted.entries(6, 8, 100)).isInstanceOf(CompactedException.class);
        assertThat(compacted.entries(7, 13, Long.MAX_VALUE)).containsExactlyElementsOf(batch(2, 7, 12));
        compacted.saveSnapshotAndCompact(snapshot(5, 2, 10));
        assertThat(compacted.firstIndex()).isEqualTo(7);
        assertThatThrownBy(() -> compacted.saveSnapshotAndCompact(snapshot(13, 2, 10)))
                .isInstanceOf(IllegalArgumentException.class);
        compacted.saveSnapshotAndCompact(snapshot(12, 2, 10));
        storage = reopen(compacted);
        assertThat(storage.firstIndex()).isEqualTo(13);
        assertThat(storage.lastIndex()).isEqualTo(12);
        storage.appendAndSync(batch(3, 13, 14));
        storage = reopen(storage);
        assertThat(storage.entries(13, 15, Long.MAX_VALUE)).containsExactlyElementsOf(batch(3, 13, 14));
    }

    @Test
    void installedSnapshotReplacesTheWholeLog() {
        RaftStorage storage = create();
        storage.appendAndSync(batch(1, 1, 20));
        storage = reopen(storage);
        storage.installSnapshotAndSync(snapshot(8, 3, 50));
        storage = reopen(storage);
        assertThat(storage.firstIndex()).isEqualTo(9);
        assertThat(storage.lastIndex()).isEqualTo(8);
        assertThat(storage.term(8)).isEqualTo(3);
        storage.installSnapshotAndSync(snapshot(7, 3, 50));
        assertThat(storage.snapshotMeta().index()).isEqualTo(8);
        storage.appendAndSync(batch(3, 9, 11));
        storage = reopen(storage);
        assertThat(storage.entries(9, 12, Long.MAX_VALUE)).containsExactlyElementsOf(batch(3, 9, 11));
        storage.installSnapshotAndSync(snapshot(30, 4, 0));
        storage = reopen(storage);
        assertThat(storage.lastIndex()).isEqualTo(30);
        assertThat(storage.term(30)).isEqualTo(4);
    }

    @Test
    void snapshotIsReadInChunks() {
        RaftStorage storage = create();
        storage.installSnapshotAndSync(snapshot(5, 2, 1000));
        storage = reopen(storage);
        ByteArrayOutputStream assembled = new ByteArrayOutputStream();
        for (byte[] chunk = storage.readSnapshotChunk(0, 300); chunk.length > 0;
             chunk = storage.readSnapshotChunk(assembled.size(), 300)) {
            assertThat(chunk.length).isLessThanOrEqualTo(300);
            assembled.writeBytes(chunk);
        }
        assertThat(assembled.toByteArray()).isEqualTo(snapshot(5, 2, 1000).data());
        assertThat(storage.readSnapshotChunk(1000, 10)).isEmpty();
    }

    /** Random operations, checked after each against {@link MemoryStorage} as the model. */
    @Test
    void randomOperationsBehaveLikeTheModel() {
        for (long seed = 1; seed <= randomSeeds(); seed++) {
            Random random = new Random(seed);
            RaftStorage storage = create();
            MemoryStorage model = new MemoryStorage();
            for (int step = 0; step < 120; step++) {
                RandomOperations.applyTo(random.nextLong(), model, storage);
                storage = reopen(storage);
                assertSameState(model, storage, "seed " + seed + " step " + step);
            }
        }
    }

    static void assertSameState(RaftStorage expected, RaftStorage actual, String context) {
        assertThat(actual.hardState()).as(context).isEqualTo(expected.hardState());
        assertThat(actual.snapshotMeta()).as(context).isEqualTo(expected.snapshotMeta());
        assertThat(actual.firstIndex()).as(context).isEqualTo(expected.firstIndex());
        assertThat(actual.lastIndex()).as(context).isEqualTo(expected.lastIndex());
        assertThat(actual.entries(actual.firstIndex(), actual.lastIndex() + 1, Long.MAX_VALUE)).as(context)
                .containsExactlyElementsOf(expected.entries(expected.firstIndex(), expected.lastIndex() + 1, Long.MAX_VALUE));
        for (long i = expected.firstIndex() - 1; i <= expected.lastIndex(); i++) {
            assertThat(actual.term(i)).as(context + " term " + i).isEqualTo(expected.term(i));
        }
        assertThat(actual.readSnapshotChunk(0, Integer.MAX_VALUE)).as(context)
                .isEqualTo(expected.readSnapshotChunk(0, Integer.MAX_VALUE));
    }

    static List<Entry> concat(List<Entry> a, List<Entry> b) {
        List<Entry> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
