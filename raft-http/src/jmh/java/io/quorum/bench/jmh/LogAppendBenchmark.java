package io.quorum.bench.jmh;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.storage.DurableStorage;
import io.quorum.raft.storage.MemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code appendAndSync} of a batch of {@code batch} 256-byte entries: MemoryStorage measures the
 * bookkeeping, DurableStorage adds encoding, checksums, the segment write and one fsync per batch
 * (group commit: the cost per entry falls with the batch).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogAppendBenchmark {

    @Param({"memory", "durable"})
    String storage;

    @Param({"1", "64"})
    int batch;

    private RaftStorage log;
    private Path dir;
    private long nextIndex;
    private final byte[] value = new byte[256];

    @Setup(Level.Iteration)
    public void open() throws IOException {
        SnapshotMeta initial = new SnapshotMeta(0, 0, Membership.ofVoters(List.of("n1")), 0);
        if ("memory".equals(storage)) {
            log = MemoryStorage.bootstrapped(initial);
        } else {
            dir = Files.createTempDirectory("quorum-jmh-log");
            DurableStorage durable = DurableStorage.open(dir);
            durable.bootstrapIfNew(initial);
            log = durable;
        }
        nextIndex = log.lastIndex() + 1;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        if (log instanceof DurableStorage durable) {
            durable.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Benchmark
    public long appendAndSync() {
        List<Entry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            entries.add(new Entry(1, nextIndex++, EntryType.NORMAL, value));
        }
        log.appendAndSync(entries);
        return log.lastIndex();
    }
}
