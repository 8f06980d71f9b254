package io.quorum.raft.storage;

import io.quorum.raft.protocol.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real processes, real disk: a child JVM ({@link Kill9Child}) appends and reports every index whose
 * fsync returned; this test kills it with SIGKILL at a seeded random moment (after a random number
 * of acknowledgements, so mid-append as often as not), opens the storage itself to check that every
 * acknowledged entry is there and intact, and starts the child again on the same directory.
 */
class Kill9CrashTest {

    private static final int RUNS = 24;
    private static final long DEADLINE_SECONDS = 30;
    private static final String EOF = "\u0000eof";

    @TempDir
    Path dir;

    @Test
    void killingTheProcessNeverLosesAnAcknowledgedEntry() throws Exception {
        Random random = new Random(20261126L);
        long acked = 0;
        long lost = 0;
        for (int run = 0; run < RUNS; run++) {
            Process child = start(random.nextLong());
            BlockingQueue<String> lines = readLines(child);
            String ready = next(lines, child);
            assertThat(ready).as("child started").startsWith("ready ");
            int acksBeforeKill = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
            for (int i = 0; i < acksBeforeKill; i++) {
                acked = Math.max(acked, ackedIndex(next(lines, child)));
            }
            child.destroyForcibly();
            for (String line = next(lines, child); !line.equals(EOF); line = next(lines, child)) {
                acked = Math.max(acked, ackedIndex(line));
            }
            assertThat(child.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
            lost += verify(acked);
        }
        System.out.println("kill9 runs=" + RUNS + " acked=" + acked + " lost=" + lost);
        assertThat(lost).isZero();
        assertThat(acked).as("the children made progress").isGreaterThan(RUNS);
    }

    /** Opens the storage as the restarted node would and counts acknowledged entries missing or damaged. */
    private long verify(long acked) {
        DurableStorage storage = DurableStorage.open(dir, Kill9Child.OPTIONS, RealStorageFiles.INSTANCE);
        try {
            long lost = Math.max(0, acked - storage.lastIndex());
            long snapshotIndex = storage.snapshotMeta().index();
            if (snapshotIndex > 0) {
                assertThat(storage.snapshot()).isEqualTo(Kill9Child.expectedSnapshot(snapshotIndex));
            }
            long last = Math.min(acked, storage.lastIndex());
            if (last >= storage.firstIndex()) {
                List<Entry> entries = storage.entries(storage.firstIndex(), last + 1, Long.MAX_VALUE);
                for (Entry entry : entries) {
                    if (!entry.equals(Kill9Child.expectedEntry(entry.index()))) {
                        lost++;
                    }
                }
                lost += (last - storage.firstIndex() + 1) - entries.size();
            }
            return lost;
        } finally {
            storage.close();
        }
    }

    private Process start(long seed) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Kill9Child.class.getName(), dir.toString(), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The pipe breaks when the child is killed; what was read is all there is.
            }
            lines.add(EOF);
        }, "kill9-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String next(BlockingQueue<String> lines, Process child) throws InterruptedException {
        String line = lines.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            child.destroyForcibly();
            throw new AssertionError("child printed nothing for " + DEADLINE_SECONDS + " s");
        }
        return line;
    }

    private static long ackedIndex(String line) {
        if (line.equals(EOF)) {
            throw new AssertionError("child exited on its own before it was killed");
        }
        if (!line.startsWith("acked ")) {
            return 0;
        }
        return Long.parseLong(line.substring("acked ".length()));
    }
}
