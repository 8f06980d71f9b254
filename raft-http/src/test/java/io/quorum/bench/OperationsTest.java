package io.quorum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Workloads on an in-memory target: what they prepare, what one operation does, and cleanup. */
class OperationsTest {

    private static BenchOptions options(Workload workload, int clients, long total) {
        return new BenchOptions(TargetKind.QUORUM, List.of("http://127.0.0.1:7001"), workload, clients, clients, total,
                Duration.ZERO, Duration.ZERO, 4, 32, 50, false, 0.5, Duration.ofSeconds(1), "t", null);
    }

    private static Result run(FakeTarget target, BenchOptions options) throws InterruptedException {
        Driver driver = new Driver();
        try (Operations operations = new Operations(options, target)) {
            operations.prepare(driver);
            return driver.run(operations.operation(), options.clients(), options.total(), options.duration(),
                    options.warmup(), Duration.ofMillis(20), null);
        }
    }

    @Test
    void getWritesTheWholeKeySpaceFirstSoThatNoReadMisses() throws InterruptedException {
        FakeTarget target = new FakeTarget();

        Result result = run(target, options(Workload.GET, 4, 1_000));

        assertThat(target.keys).hasSize(50).containsKeys("0000", "0049");
        assertThat(target.keys.get("0007")).hasSize(32);
        assertThat(result.succeeded()).isEqualTo(1_000);
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void putWritesKeysOfTheKeySpaceWithTheValueSize() throws InterruptedException {
        FakeTarget target = new FakeTarget();

        Result result = run(target, options(Workload.PUT, 2, 500));

        assertThat(result.succeeded()).isEqualTo(500);
        assertThat(target.keys.keySet()).allMatch(k -> k.length() == 4 && Integer.parseInt(k) < 50);
        assertThat(target.keys.values()).allMatch(v -> v.length == 32);
    }

    @Test
    void lockCycleOpensOneLockerPerClientAndAlternatesAcquireAndRelease() throws InterruptedException {
        FakeTarget target = new FakeTarget();

        Result result = run(target, options(Workload.LOCK_CYCLE, 3, 30));

        assertThat(target.lockersOpened).hasValue(3);
        assertThat(target.lockersClosed).hasValue(3);
        assertThat(result.succeeded()).isEqualTo(30);
        assertThat(target.history).hasSize(60);
        for (int i = 0; i < 60; i += 2) {
            String[] acquire = target.history.get(i).split(" ");
            String[] release = target.history.get(i + 1).split(" ");
            assertThat(acquire[1]).isEqualTo("acquire");
            assertThat(release).containsExactly(acquire[0], "release", "lock-" + acquire[0]);
            assertThat(acquire[2]).isEqualTo("lock-" + acquire[0]);
        }
        assertThat(target.holders).isEmpty();
    }

    @Test
    void lockContendedWritesInsideTheLockAndCountsAcquisitionsPerClient() throws InterruptedException {
        FakeTarget target = new FakeTarget();

        Result result = run(target, options(Workload.LOCK_CONTENDED, 1, 20));

        assertThat(result.succeeded()).isEqualTo(20);
        assertThat(result.perClient()).containsExactly(20);
        assertThat(target.history.subList(0, 3)).containsExactly("0 acquire lock", "0 put critical", "0 release lock");
        assertThat(target.keys.get(Operations.CRITICAL_SECTION_KEY)).hasSize(Operations.CRITICAL_SECTION_BYTES);
    }

    @Test
    void anOperationThatNeverAnswersFailsAsNoAnswerAndTheRunEnds() throws InterruptedException {
        FakeTarget silent = new FakeTarget() {
            @Override
            public CompletableFuture<Void> put(int client, String key, byte[] value) {
                return new CompletableFuture<>();
            }
        };
        BenchOptions options = new BenchOptions(TargetKind.QUORUM, List.of("http://127.0.0.1:7001"), Workload.PUT, 2,
                2, 4, Duration.ZERO, Duration.ZERO, 4, 32, 50, false, 0.5, Duration.ofMillis(10), "t", null);

        Result result = run(silent, options);

        assertThat(result.succeeded()).isZero();
        assertThat(result.errors()).containsExactly(java.util.Map.entry(Operations.NO_ANSWER, 4L));
    }

    @Test
    void keysArePaddedToTheKeySize() {
        Keys keys = new Keys(8, 1000);
        assertThat(keys.key(0)).isEqualTo("00000000");
        assertThat(keys.key(999)).isEqualTo("00000999");
        assertThat(new Keys(2, 100).key(99)).isEqualTo("99");
    }
}
