package io.quorum.raft.storage.bench;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.storage.DurableStorage;
import io.quorum.raft.storage.RealStorageFiles;
import io.quorum.raft.storage.StorageFile;
import io.quorum.raft.storage.StorageFiles;
import io.quorum.raft.storage.StorageOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Append+fsync throughput of {@link DurableStorage} for 256-byte entries at batch sizes 1, 16 and
 * 256, next to the raw fdatasync rate of the same disk measured by fio in the same run.
 *
 * <pre>
 *   mvn -q -pl raft-core test-compile
 *   java -cp raft-core/target/classes:raft-core/target/test-classes \
 *        io.quorum.raft.storage.bench.AppendBenchmark [dir] [seconds per batch size]
 * </pre>
 * {@code dir} (default {@code raft-core/target/append-bench}) must be on the disk under test; it is
 * emptied first. Needs {@code fio} on the PATH for the reference figure (skipped otherwise).
 */
public final class AppendBenchmark {

    private static final int ENTRY_BYTES = 256;
    private static final int[] BATCH_SIZES = {1, 16, 256};

    private AppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "raft-core/target/append-bench").toAbsolutePath();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        deleteRecursively(dir);
        Files.createDirectories(dir);

        // fio runs before and after: a shared disk's fsync latency drifts, and the mean of the two
        // brackets the time the appends ran.
        Double fioBefore = fioFdatasyncRate(dir.resolve("fio"));
        List<Result> results = new ArrayList<>();
        for (int batchSize : BATCH_SIZES) {
            results.add(run(dir.resolve("batch-" + batchSize), batchSize, seconds));
        }
        Double fioAfter = fioBefore == null ? null : fioFdatasyncRate(dir.resolve("fio"));
        Double fioRate = fioBefore == null ? null : (fioBefore + fioAfter) / 2;

        System.out.printf("disk: %s%n", dir);
        System.out.printf("fio --rw=write --ioengine=sync --fdatasync=1 --bs=2300 --size=22m: %s%n", fioRate == null
                ? "not run (fio not found)"
                : String.format("%.0f fdatasyncs/s (before %.0f, after %.0f)", fioRate, fioBefore, fioAfter));
        System.out.printf("%-6s %12s %12s %12s %10s %10s %10s%n", "batch", "entries/s", "appends/s", "fsyncs/s",
                "p50 ms", "p99 ms", "vs fio");
        for (int i = 0; i < BATCH_SIZES.length; i++) {
            Result result = results.get(i);
            System.out.printf("%-6d %12.0f %12.0f %12.0f %10.2f %10.2f %10s%n", BATCH_SIZES[i], result.entriesPerSecond(),
                    result.appendsPerSecond(), result.fsyncsPerSecond(), result.p50Millis(), result.p99Millis(),
                    fioRate == null ? "-" : String.format("%.0f%%", 100 * result.appendsPerSecond() / fioRate));
        }
        System.out.println("vs fio: appends (= fsync points) per second as a share of fio's fdatasyncs per second");
        deleteRecursively(dir);
    }

    record Result(double entriesPerSecond, double appendsPerSecond, double fsyncsPerSecond, double p50Millis, double p99Millis) {
    }

    private static Result run(Path dir, int batchSize, double seconds) {
        CountingFiles files = new CountingFiles(RealStorageFiles.INSTANCE);
        DurableStorage storage = DurableStorage.open(dir, StorageOptions.DEFAULTS, files);
        try {
            byte[] payload = new byte[ENTRY_BYTES];
            new Random(1).nextBytes(payload);
            long next = 1;
            // Warm-up: JIT and the first segment's preallocation are not what is measured.
            long warmupEnd = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warmupEnd) {
                next = append(storage, next, batchSize, payload);
            }
            long fsyncsBefore = files.syncs.get();
            long firstMeasured = next;
            List<Long> latencies = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now = start;
            while (now < end) {
                next = append(storage, next, batchSize, payload);
                long after = System.nanoTime();
                latencies.add(after - now);
                now = after;
            }
            double elapsed = (now - start) / 1e9;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result((next - firstMeasured) / elapsed, sorted.length / elapsed,
                    (files.syncs.get() - fsyncsBefore) / elapsed,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
        } finally {
            storage.close();
        }
    }

    private static long append(DurableStorage storage, long first, int batchSize, byte[] payload) {
        List<Entry> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(new Entry(1, first + i, EntryType.NORMAL, payload));
        }
        storage.appendAndSync(batch);
        return first + batchSize;
    }

    /** The raw fdatasync rate of the disk holding {@code dir}, or null without fio. */
    private static Double fioFdatasyncRate(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process fio;
        try {
            fio = new ProcessBuilder("fio", "--name=raw", "--rw=write", "--ioengine=sync", "--fdatasync=1",
                    "--bs=2300", "--size=22m", "--directory=" + dir).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String output = new String(fio.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (fio.waitFor() != 0) {
            throw new IOException("fio failed:\n" + output);
        }
        Matcher iops = Pattern.compile("write: IOPS=([0-9.]+)(k?)").matcher(output);
        if (!iops.find()) {
            throw new IOException("no IOPS in fio output:\n" + output);
        }
        deleteRecursively(dir);
        return Double.parseDouble(iops.group(1)) * (iops.group(2).isEmpty() ? 1 : 1000);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Counts fsyncs (of files and directories) on their way to the real file system. */
    private static final class CountingFiles implements StorageFiles {
        final AtomicLong syncs = new AtomicLong();
        private final StorageFiles delegate;

        CountingFiles(StorageFiles delegate) {
            this.delegate = delegate;
        }

        @Override
        public StorageFile open(Path file) throws IOException {
            return counting(delegate.open(file));
        }

        @Override
        public StorageFile create(Path file) throws IOException {
            return counting(delegate.create(file));
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
            return delegate.list(dir);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            delegate.rename(from, to);
        }

        @Override
        public void deleteIfExists(Path file) throws IOException {
            delegate.deleteIfExists(file);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            syncs.incrementAndGet();
            delegate.syncDirectory(dir);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            delegate.createDirectories(dir);
        }

        private StorageFile counting(StorageFile file) {
            return new StorageFile() {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return file.read(dst, position);
                }

                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    file.write(src, position);
                }

                @Override
                public void sync(boolean metadata) throws IOException {
                    syncs.incrementAndGet();
                    file.sync(metadata);
                }

                @Override
                public void truncate(long size) throws IOException {
                    file.truncate(size);
                }

                @Override
                public long size() throws IOException {
                    return file.size();
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }
    }
}
