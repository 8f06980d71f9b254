package io.quorum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The closed loop against in-test operations on a simulated clock: each operation advances the
 * clock by one millisecond, so warmup, duration and latencies are exact and nothing depends on
 * how fast the machine is.
 */
class DriverTest {

    private static final long MS = 1_000_000L;
    private static final Duration TICK = Duration.ofMillis(50);

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final Driver driver = new Driver(clock::get);

    private Operation taking(long millis) {
        return client -> {
            clock.addAndGet(millis * MS);
            return CompletableFuture.completedFuture(null);
        };
    }

    @Test
    void aTotalRunMeasuresExactlyThatManyOperationsAcrossClients() throws InterruptedException {
        Result result = driver.run(taking(1), 4, 100, Duration.ZERO, Duration.ZERO, TICK, null);

        assertThat(result.succeeded()).isEqualTo(100);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(100);
        assertThat(result.perClient()).hasSize(4);
        assertThat(java.util.Arrays.stream(result.perClient()).sum()).isEqualTo(100);
        assertThat(result.errors()).isEmpty();
        assertThat(result.latencyMicros().getValueAtPercentile(50)).isEqualTo(1000);
    }

    @Test
    void operationsStartedDuringTheWarmupRunButAreNotMeasured() throws InterruptedException {
        AtomicInteger invoked = new AtomicInteger();
        Operation op = client -> {
            invoked.incrementAndGet();
            return taking(1).run(client);
        };

        Result result = driver.run(op, 1, 50, Duration.ZERO, Duration.ofMillis(10), TICK, null);

        assertThat(invoked).hasValue(60);
        assertThat(result.succeeded()).isEqualTo(50);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(50);
        assertThat(result.elapsedNanos()).isEqualTo(50 * MS);
        assertThat(result.throughput()).isEqualTo(1000.0);
    }

    @Test
    void aDurationRunStopsIssuingWhenTheMeasuredTimeIsOver() throws InterruptedException {
        Result result = driver.run(taking(2), 1, 0, Duration.ofMillis(100), Duration.ofMillis(20), TICK, null);

        assertThat(result.succeeded()).isEqualTo(50);
        assertThat(result.latencyMicros().getMaxValue()).isEqualTo(2000);
    }

    @Test
    void failuresAreCountedByKindAndNotRecordedAsLatency() throws InterruptedException {
        AtomicInteger invoked = new AtomicInteger();
        Operation op = client -> {
            int n = invoked.incrementAndGet();
            clock.addAndGet(MS);
            if (n % 3 == 0) {
                return CompletableFuture.failedFuture(new BenchFailure("http 503 NO_LEADER", "no leader"));
            }
            if (n % 5 == 0) {
                throw new IllegalStateException("thrown, not returned");
            }
            if (n % 7 == 0) {
                return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException());
            }
            return CompletableFuture.completedFuture(null);
        };

        Result result = driver.run(op, 1, 105, Duration.ZERO, Duration.ZERO, TICK, null);

        // 1..105: multiples of 3 → 35; of 5 but not 3 → 14; of 7 but neither 3 nor 5 → 8.
        assertThat(result.errors()).containsOnly(java.util.Map.entry("http 503 NO_LEADER", 35L),
                java.util.Map.entry("IllegalStateException", 14L), java.util.Map.entry("timeout", 8L));
        assertThat(result.failed()).isEqualTo(57);
        assertThat(result.succeeded()).isEqualTo(48);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(48);
    }

    @Test
    void operationsCompletingOnOtherThreadsAreAllAccountedFor() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Driver realClock = new Driver();
            Operation op = client -> CompletableFuture.runAsync(() -> { }, pool);

            Result result = realClock.run(op, 16, 5_000, Duration.ZERO, Duration.ZERO, TICK, null);

            assertThat(result.succeeded()).isEqualTo(5_000);
            assertThat(result.latencyMicros().getTotalCount()).isEqualTo(5_000);
            assertThat(java.util.Arrays.stream(result.perClient()).sum()).isEqualTo(5_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLongRunOfImmediateCompletionsDoesNotGrowTheStack() throws InterruptedException {
        Result result = driver.run(taking(0), 1, 200_000, Duration.ZERO, Duration.ZERO, TICK, null);

        assertThat(result.succeeded()).isEqualTo(200_000);
    }

    @Test
    void progressSnapshotsAddUpToTheTotal() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicLong seen = new AtomicLong();
            Operation op = client -> CompletableFuture.runAsync(() -> { }, pool);
            Result result = new Driver().run(op, 2, 20_000, Duration.ZERO, Duration.ZERO, Duration.ofMillis(1),
                    p -> seen.addAndGet(p.interval().getTotalCount()));

            assertThat(seen.get()).isLessThanOrEqualTo(result.succeeded());
            assertThat(result.latencyMicros().getTotalCount()).isEqualTo(20_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
