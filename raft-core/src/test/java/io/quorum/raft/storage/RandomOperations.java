package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.RaftStorage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random write, chosen from a seed, that is legal for the storage's current state (the kind of
 * sequence a Raft node produces): appends, conflicting appends, hard state changes, local
 * snapshots and installed snapshots. Applied to every storage given, in order.
 */
final class RandomOperations {

    private RandomOperations() {
    }

    /** Applies one random operation to {@code model} (which decides what is legal) and then to {@code others}. */
    static void applyTo(long seed, RaftStorage model, RaftStorage... others) {
        Random random = new Random(seed);
        int kind = random.nextInt(100);
        long last = model.lastIndex();
        long first = model.firstIndex();
        long term = Math.max(1, Math.max(model.hardState().term(), last >= first - 1 ? model.term(last) : 1));
        if (kind < 60) {
            long from = last + 1;
            if (random.nextInt(5) == 0 && last >= first) {
                from = first + random.nextInt((int) (last - first + 1));
                term++;
            }
            List<Entry> batch = new ArrayList<>();
            int size = 1 + random.nextInt(random.nextInt(4) == 0 ? 40 : 5);
            for (int i = 0; i < size; i++) {
                batch.add(RaftStorageContract.entry(term, from + i, random.nextInt(random.nextInt(8) == 0 ? 3000 : 200)));
            }
            for (RaftStorage storage : all(model, others)) {
                storage.appendAndSync(batch);
            }
        } else if (kind < 80) {
            HardState state = new HardState(term + random.nextInt(2), random.nextBoolean() ? null : "n" + random.nextInt(3),
                    Math.min(last, model.hardState().commit() + random.nextInt(5)));
            for (RaftStorage storage : all(model, others)) {
                storage.saveHardStateAndSync(state);
            }
        } else if (kind < 93) {
            if (last >= first) {
                long index = first + random.nextInt((int) (last - first + 1));
                var snapshot = RaftStorageContract.snapshot(index, model.term(index), random.nextInt(600));
                for (RaftStorage storage : all(model, others)) {
                    storage.saveSnapshotAndCompact(snapshot);
                }
            }
        } else {
            long index = last + random.nextInt(10) - 3;
            if (index > model.snapshotMeta().index()) {
                var snapshot = RaftStorageContract.snapshot(index, term + 1, random.nextInt(600));
                for (RaftStorage storage : all(model, others)) {
                    storage.installSnapshotAndSync(snapshot);
                }
            }
        }
    }

    private static List<RaftStorage> all(RaftStorage model, RaftStorage... others) {
        List<RaftStorage> all = new ArrayList<>();
        all.add(model);
        all.addAll(List.of(others));
        return all;
    }
}
