package io.quorum.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The closed loop: {@code clients} clients, each with one operation outstanding, issuing the next
 * when the previous one completes. Operations that start before the warmup ends run but are not
 * measured. The run stops issuing after {@code total} measured operations or when the measured
 * {@code duration} has passed, and {@link #run} returns once every outstanding operation completed.
 *
 * <p>Latencies go to an HdrHistogram {@link Recorder}, which many completing threads write
 * without a lock; the run takes an interval histogram each progress tick and adds it to the total.
 * A future that completes at once continues in a loop rather than by recursion, so a fast target
 * cannot overflow the stack.
 */
public final class Driver {

    /** A snapshot for the progress line: measured seconds so far, the last interval and the totals. */
    public record Progress(double seconds, boolean warmingUp, Histogram interval, double intervalSeconds,
            long succeeded, long failed) {
    }

    private final LongSupplier nanoTime;

    /** A driver on {@link System#nanoTime()}. */
    public Driver() {
        this(System::nanoTime);
    }

    /** A driver on another clock (tests). */
    Driver(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Runs {@code operation} in a closed loop and waits until it is over; {@code progress} gets a
     * snapshot about every {@code tick} (may be null).
     */
    public Result run(Operation operation, int clients, long total, Duration duration, Duration warmup,
            Duration tick, Consumer<Progress> progress) throws InterruptedException {
        Run run = new Run(operation, clients, total, duration, warmup);
        run.start();
        Histogram sum = new Histogram(3);
        long lastTick = nanoTime.getAsLong();
        while (!run.finished.await(tick.toNanos(), TimeUnit.NANOSECONDS)) {
            Histogram interval = run.recorder.getIntervalHistogram();
            sum.add(interval);
            long now = nanoTime.getAsLong();
            if (progress != null) {
                progress.accept(new Progress((now - run.measureStart) / 1e9, now < run.measureStart, interval,
                        (now - lastTick) / 1e9, run.succeeded.sum(), run.failures()));
            }
            lastTick = now;
        }
        sum.add(run.recorder.getIntervalHistogram());
        long[] perClient = new long[clients];
        for (int c = 0; c < clients; c++) {
            perClient[c] = run.perClient.get(c);
        }
        long elapsed = Math.max(0, run.lastCompletion.get() - run.measureStart);
        return new Result(sum, run.succeeded.sum(), run.errorCounts(), elapsed, perClient);
    }

    private final class Run {
        final Operation operation;
        final int clients;
        final long total;
        final long measureStart;
        final long measureEnd;
        final Recorder recorder = new Recorder(3);
        final LongAdder succeeded = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final AtomicLongArray perClient;
        final AtomicLong claimed = new AtomicLong();
        final AtomicLong lastCompletion;
        final CountDownLatch finished;

        Run(Operation operation, int clients, long total, Duration duration, Duration warmup) {
            this.operation = operation;
            this.clients = clients;
            this.total = total;
            long start = nanoTime.getAsLong();
            this.measureStart = start + warmup.toNanos();
            this.measureEnd = total > 0 ? Long.MAX_VALUE : measureStart + duration.toNanos();
            this.perClient = new AtomicLongArray(clients);
            this.lastCompletion = new AtomicLong(measureStart);
            this.finished = new CountDownLatch(clients);
        }

        void start() {
            for (int c = 0; c < clients; c++) {
                loop(c);
            }
        }

        /** Whether this client may start another operation, and whether it is measured: -1 stop, 0 warmup, 1 measured. */
        int claim(long now) {
            if (now < measureStart) {
                return 0;
            }
            if (total > 0) {
                return claimed.incrementAndGet() <= total ? 1 : -1;
            }
            return now < measureEnd ? 1 : -1;
        }

        void loop(int client) {
            while (true) {
                long start = nanoTime.getAsLong();
                int claim = claim(start);
                if (claim < 0) {
                    finished.countDown();
                    return;
                }
                CompletableFuture<Void> pending;
                try {
                    pending = operation.run(client);
                } catch (RuntimeException e) {
                    pending = CompletableFuture.failedFuture(e);
                }
                boolean measured = claim > 0;
                if (!pending.isDone()) {
                    // A throw inside this callback would vanish into the dependent future and stop
                    // the client for good: complete() is guarded so that loop() always runs.
                    pending.whenComplete((ignored, failure) -> {
                        try {
                            complete(client, start, measured, failure);
                        } catch (RuntimeException e) {
                            errors.computeIfAbsent("bench: " + e, k -> new LongAdder()).increment();
                        }
                        loop(client);
                    });
                    return;
                }
                Throwable failure = pending.isCompletedExceptionally() ? pending.handle((v, e) -> e).join() : null;
                complete(client, start, measured, failure);
            }
        }

        void complete(int client, long start, boolean measured, Throwable failure) {
            if (!measured) {
                return;
            }
            long end = nanoTime.getAsLong();
            lastCompletion.accumulateAndGet(end, Math::max);
            if (failure != null) {
                errors.computeIfAbsent(BenchFailure.kindOf(failure), k -> new LongAdder()).increment();
                return;
            }
            recorder.recordValue(Math.max(1, (end - start) / 1000));
            succeeded.increment();
            perClient.incrementAndGet(client);
        }

        long failures() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }

        Map<String, Long> errorCounts() {
            Map<String, Long> counts = new HashMap<>();
            errors.forEach((kind, n) -> counts.put(kind, n.sum()));
            return counts;
        }
    }
}
