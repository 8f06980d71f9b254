package io.quorum.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A workload on a target: what must exist before the run (keys to read, one lock holder per
 * client) and the operation each client repeats. One lock-cycle or lock-contended operation is a
 * whole acquire → (critical section) → release, so its throughput is acquire+release pairs or
 * hand-offs per second.
 */
final class Operations implements AutoCloseable {

    /** The lock every client of lock-contended takes, and the key its critical section writes. */
    static final String CONTENDED_LOCK = "lock";
    static final String CRITICAL_SECTION_KEY = "critical";
    static final int CRITICAL_SECTION_BYTES = 256;
    /** The error kind of an operation that neither completed nor failed in time. */
    static final String NO_ANSWER = "no answer";

    private final BenchOptions options;
    private final Target target;
    private final Keys keys;
    private final byte[] value;
    private final byte[] criticalValue = new byte[CRITICAL_SECTION_BYTES];
    private final List<Target.Locker> lockers = new ArrayList<>();

    Operations(BenchOptions options, Target target) {
        this.options = options;
        this.target = target;
        this.keys = new Keys(options.keySize(), options.keySpace());
        this.value = new byte[options.valueSize()];
        ThreadLocalRandom.current().nextBytes(value);
        ThreadLocalRandom.current().nextBytes(criticalValue);
    }

    /**
     * Writes every key of the key space (reading workloads) or opens one locker per client (lock
     * workloads), with {@code --clients} writes outstanding.
     *
     * @throws BenchFailure when a key could not be written or a locker not opened
     */
    void prepare(Driver driver) throws InterruptedException {
        if (options.workload().readsKeys()) {
            AtomicInteger next = new AtomicInteger();
            Result fill = driver.run(client -> target.put(client, keys.key(next.getAndIncrement()), value),
                    options.clients(), keys.size(), Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), null);
            if (fill.failed() > 0) {
                throw new BenchFailure("setup", "writing the key space failed: " + fill.errors());
            }
        }
        if (options.workload().locks()) {
            List<CompletableFuture<Target.Locker>> opening = new ArrayList<>();
            for (int c = 0; c < options.clients(); c++) {
                opening.add(target.locker(c));
            }
            for (CompletableFuture<Target.Locker> f : opening) {
                try {
                    lockers.add(f.join());
                } catch (RuntimeException e) {
                    throw new BenchFailure("setup", "opening a lock session failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * The operation of the workload; {@link #prepare} must have run. An operation still unanswered
     * long after the target's own timeouts (three times {@code --timeout} plus a second, as a lock
     * operation makes up to three calls) fails as {@code no answer}, so that a lost answer costs one
     * error instead of a client, and the run still ends.
     */
    Operation operation() {
        Operation workload = workloadOperation();
        long limitMillis = options.timeout().toMillis() * 3 + 1_000;
        return client -> {
            CompletableFuture<Void> answer = workload.run(client);
            return answer.copy().orTimeout(limitMillis, TimeUnit.MILLISECONDS).exceptionallyCompose(failure ->
                    CompletableFuture.failedFuture(answer.isDone() ? failure
                            : new BenchFailure(NO_ANSWER, "no answer within " + limitMillis + " ms")));
        };
    }

    private Operation workloadOperation() {
        return switch (options.workload()) {
            case PUT -> client -> target.put(client, keys.random(), value);
            case GET -> client -> target.get(client, keys.random(), options.stale());
            case MIXED -> client -> ThreadLocalRandom.current().nextDouble() < options.readFraction()
                    ? target.get(client, keys.random(), options.stale())
                    : target.put(client, keys.random(), value);
            case LOCK_CYCLE -> client -> {
                Target.Locker locker = lockers.get(client);
                String lock = "lock-" + client;
                return locker.acquire(lock).thenCompose(held -> locker.release(lock));
            };
            case LOCK_CONTENDED -> client -> {
                Target.Locker locker = lockers.get(client);
                return locker.acquire(CONTENDED_LOCK)
                        .thenCompose(held -> target.put(client, CRITICAL_SECTION_KEY, criticalValue)
                                .handle((ok, failure) -> failure)
                                .thenCompose(failure -> locker.release(CONTENDED_LOCK).thenRun(() -> {
                                    if (failure != null) {
                                        throw new BenchFailure(BenchFailure.kindOf(failure), "critical section");
                                    }
                                })));
            };
        };
    }

    /** Closes every locker (ends sessions and leases, releasing what they hold). */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Target.Locker locker : lockers) {
            closing.add(locker.close());
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
        lockers.clear();
    }
}
