package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.Snapshot;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a storage may hold after a crash in the middle of a write, given the model before the write
 * ({@code before}) and after it ({@code after}). Durable writes are not atomic as a whole, but
 * each leaves only states Raft allows: a conflicting suffix may be gone before its replacement is
 * durable; a snapshot may be durable before the log it covers is discarded. Nothing that was
 * durable before the call and that the call does not replace may be missing.
 */
final class LegalStates {

    private LegalStates() {
    }

    static void assertLegal(MemoryStorage before, MemoryStorage after, RaftStorage recovered, String context) {
        assertThat(recovered.hardState()).as(context + " hard state").isIn(before.hardState(), after.hardState());
        assertThat(recovered.snapshotMeta()).as(context + " snapshot").isIn(before.snapshotMeta(), after.snapshotMeta());
        assertThat(recovered.firstIndex()).as(context + " first index").isEqualTo(recovered.snapshotMeta().index() + 1);
        boolean snapshotChanged = !before.snapshotMeta().equals(after.snapshotMeta());
        List<Entry> entries = all(recovered);
        if (!snapshotChanged) {
            // An append (possibly truncating) or a hard state change: the common prefix of before
            // and after must be intact, and the rest must come wholly from one of them.
            long common = commonPrefixEnd(before, after);
            assertThat(recovered.lastIndex()).as(context + " last index").isGreaterThanOrEqualTo(common);
            boolean fromBefore = matchesFrom(before, entries, common + 1);
            boolean fromAfter = matchesFrom(after, entries, common + 1);
            assertThat(fromBefore || fromAfter).as(context + " log is a prefix of before or after: " + entries).isTrue();
            assertThat(matchesFrom(before, entries, recovered.firstIndex()) || matchesFrom(after, entries, recovered.firstIndex()))
                    .as(context + " entries").isTrue();
        } else if (recovered.snapshotMeta().equals(before.snapshotMeta())) {
            assertThat(entries).as(context + " log untouched while the snapshot is not durable").isEqualTo(all(before));
        } else {
            // The new snapshot is durable: what remains of the log is the old log's (Figure 13 keeps
            // entries after a matching snapshot point), up to some prefix.
            assertThat(matchesFrom(before, entries, recovered.firstIndex())).as(context + " remaining log " + entries).isTrue();
            if (after.lastIndex() == before.lastIndex() && after.snapshotMeta().index() <= before.lastIndex()) {
                assertThat(recovered.lastIndex()).as(context + " compaction keeps the tail").isEqualTo(before.lastIndex());
            }
        }
    }

    /** A MemoryStorage holding the same state as {@code source}, to continue as the model. */
    static MemoryStorage copyOf(RaftStorage source) {
        MemoryStorage copy = new MemoryStorage();
        if (source.snapshotMeta().index() > 0) {
            byte[] data = source.readSnapshotChunk(0, Integer.MAX_VALUE);
            copy.installSnapshotAndSync(new Snapshot(source.snapshotMeta(), data));
        }
        copy.appendAndSync(all(source));
        copy.saveHardStateAndSync(source.hardState());
        return copy;
    }

    static List<Entry> all(RaftStorage storage) {
        return storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
    }

    /** The last index up to which before and after hold the same entries (from after's first index). */
    private static long commonPrefixEnd(MemoryStorage before, MemoryStorage after) {
        long index = Math.max(before.firstIndex(), after.firstIndex());
        long last = Math.min(before.lastIndex(), after.lastIndex());
        while (index <= last && before.entries(index, index + 1, Long.MAX_VALUE).equals(after.entries(index, index + 1, Long.MAX_VALUE))) {
            index++;
        }
        return index - 1;
    }

    /** Whether every entry of {@code entries} at index >= from is the model's entry at that index. */
    private static boolean matchesFrom(MemoryStorage model, List<Entry> entries, long from) {
        for (Entry entry : entries) {
            if (entry.index() < from) {
                continue;
            }
            if (entry.index() < model.firstIndex() || entry.index() > model.lastIndex()
                    || !model.entries(entry.index(), entry.index() + 1, Long.MAX_VALUE).get(0).equals(entry)) {
                return false;
            }
        }
        return true;
    }
}
