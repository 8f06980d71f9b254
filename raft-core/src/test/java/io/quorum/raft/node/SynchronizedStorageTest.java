package io.quorum.raft.node;

import io.quorum.raft.protocol.CompactedException;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.storage.DurableStorage;
import io.quorum.raft.storage.MemoryStorage;
import io.quorum.raft.storage.TwoPhaseAppend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.quorum.raft.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The threading rule of RaftStorage as RaftNode uses it: one thread reads (the protocol) while
 * another appends and compacts (the storage thread), on the real DurableStorage.
 */
class SynchronizedStorageTest {

    private static final Membership MEMBERS = Membership.ofVoters(List.of("n1", "n2", "n3"));
    private static final int ENTRIES = 2_000;

    @TempDir
    Path dir;

    private static long termOf(long index) {
        return 1 + index / 500;
    }

    @Test
    @Timeout(30)
    void aReaderSeesAConsistentLogWhileAWriterAppendsAndCompacts() {
        try (DurableStorage durable = DurableStorage.open(dir)) {
            RaftStorage storage = SynchronizedStorage.of(durable);
            AtomicLong reads = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (long next = 1; next <= ENTRIES; next += 10) {
                    List<Entry> batch = new ArrayList<>();
                    for (long i = next; i < next + 10; i++) {
                        batch.add(new Entry(termOf(i), i, EntryType.NORMAL, new byte[] {(byte) i}));
                    }
                    storage.appendAndSync(batch);
                    long last = next + 9;
                    if (last % 200 == 0) {
                        // On a loaded machine the reader may not be scheduled at all: let it read
                        // now and then, so the test always checks reads that overlap writes.
                        long before = reads.get();
                        Await.within(Duration.ofSeconds(2), () -> reads.get() > before);
                    }
                    if (last % 100 == 0) {
                        storage.saveSnapshotAndCompact(new Snapshot(new SnapshotMeta(last - 50, termOf(last - 50), MEMBERS, 0), new byte[0]));
                    }
                }
            });
            List<Throwable> readFailures = new ArrayList<>();
            while (!writer.isDone()) {
                try {
                    long last = storage.lastIndex();
                    long from = Math.max(storage.firstIndex(), last - 20);
                    if (from > last) {
                        continue;
                    }
                    List<Entry> read = storage.entries(from, last + 1, Long.MAX_VALUE);
                    for (int i = 0; i < read.size(); i++) {
                        Entry e = read.get(i);
                        assertThat(e.index()).isEqualTo(from + i);
                        assertThat(e.term()).isEqualTo(termOf(e.index())).isEqualTo(storage.term(e.index()));
                        assertThat(e.data()).containsExactly((byte) e.index());
                    }
                    reads.incrementAndGet();
                } catch (CompactedException expected) {
                    // The writer compacted past what this reader asked for: the contract allows it.
                } catch (Throwable t) {
                    readFailures.add(t);
                }
            }
            writer.join();
            assertThat(readFailures).isEmpty();
            assertThat(reads.get()).isPositive();
            assertThat(storage.lastIndex()).isEqualTo(ENTRIES);
        }
    }

    @Test
    @Timeout(30)
    void readsDoNotWaitForTheFsyncOfAnAppend() throws Exception {
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch finishSync = new CountDownLatch(1);
        SlowSyncStorage slow = new SlowSyncStorage(syncing, finishSync);
        RaftStorage storage = SynchronizedStorage.of(slow);
        CompletableFuture<Void> append = CompletableFuture.runAsync(() ->
                storage.appendAndSync(List.of(new Entry(1, 1, EntryType.NORMAL, new byte[] {1}))));
        assertThat(syncing.await(10, TimeUnit.SECONDS)).isTrue();

        // The append is written and its fsync is in progress: reads answer now, the append has not returned.
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> storage.lastIndex() * 100 + storage.term(1));
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(101);
        assertThat(append).isNotDone();

        finishSync.countDown();
        append.get(10, TimeUnit.SECONDS);
        assertThat(slow.synced).isTrue();
    }

    /** A store whose append's fsync waits until the test lets it finish. */
    private static final class SlowSyncStorage implements RaftStorage, TwoPhaseAppend {
        private final RaftStorage delegate = new MemoryStorage();
        private final CountDownLatch syncing;
        private final CountDownLatch finishSync;
        volatile boolean synced;

        SlowSyncStorage(CountDownLatch syncing, CountDownLatch finishSync) {
            this.syncing = syncing;
            this.finishSync = finishSync;
        }

        @Override
        public HardState hardState() {
            return delegate.hardState();
        }

        @Override
        public SnapshotMeta snapshotMeta() {
            return delegate.snapshotMeta();
        }

        @Override
        public long firstIndex() {
            return delegate.firstIndex();
        }

        @Override
        public long lastIndex() {
            return delegate.lastIndex();
        }

        @Override
        public long term(long index) {
            return delegate.term(index);
        }

        @Override
        public List<Entry> entries(long from, long toExclusive, long maxBytes) {
            return delegate.entries(from, toExclusive, maxBytes);
        }

        @Override
        public byte[] readSnapshotChunk(long offset, int maxBytes) {
            return delegate.readSnapshotChunk(offset, maxBytes);
        }

        @Override
        public void saveHardStateAndSync(HardState state) {
            delegate.saveHardStateAndSync(state);
        }

        @Override
        public void installSnapshotAndSync(Snapshot snapshot) {
            delegate.installSnapshotAndSync(snapshot);
        }

        @Override
        public void saveSnapshotAndCompact(Snapshot snapshot) {
            delegate.saveSnapshotAndCompact(snapshot);
        }

        @Override
        public PendingSync appendWithoutSync(List<Entry> entries) {
            delegate.appendAndSync(entries);
            return () -> {
                syncing.countDown();
                try {
                    assertThat(finishSync.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                synced = true;
            };
        }

        @Override
        public void appendAndSync(List<Entry> entries) {
            appendWithoutSync(entries).sync();
        }
    }
}
