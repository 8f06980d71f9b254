package io.quorum.raft.node;

import io.quorum.raft.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Test client: proposes the values 1, 2, 3, … through every live node in turn, with a bounded
 * number in flight. A retry-safe failure ({@link NodeException.Kind#isRetrySafe()}) is retried with
 * the same value after a short pause, at the next node; since nothing of it was applied, every value
 * still applies at most once. A failure with an unknown outcome (timeout, a node that stopped) is
 * recorded and not retried. Acknowledged values are what must never be lost.
 */
final class Load implements AutoCloseable {

    private final TcpCluster cluster;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final long total;
    private final AtomicLong nextValue = new AtomicLong(1);
    private final AtomicLong nodeTurn = new AtomicLong();
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final Map<NodeException.Kind, LongAdder> failures = new ConcurrentHashMap<>();
    private final LongAdder unknown = new LongAdder();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-retries");
        t.setDaemon(true);
        return t;
    });
    private final Thread driver;
    private volatile boolean stopped;

    /** Starts proposing {@code total} values (Long.MAX_VALUE: until closed) with at most {@code maxInFlight} waiting. */
    Load(TcpCluster cluster, int maxInFlight, long total) {
        this.cluster = cluster;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.total = total;
        this.driver = new Thread(this::drive, "load-driver");
        driver.setDaemon(true);
        driver.start();
    }

    private void drive() {
        while (!stopped) {
            long value = nextValue.get();
            if (value > total) {
                return;
            }
            try {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            nextValue.incrementAndGet();
            propose(value);
        }
    }

    private void propose(long value) {
        List<RaftNode<Long>> live = cluster.live();
        if (stopped || live.isEmpty()) {
            inFlight.release();
            return;
        }
        RaftNode<Long> via = live.get((int) (nodeTurn.getAndIncrement() % live.size()));
        via.propose(CounterStateMachine.command(value)).whenComplete((sum, failure) -> {
            if (failure == null) {
                acked.add(value);
                inFlight.release();
                return;
            }
            NodeException.Kind kind = failure instanceof NodeException e ? e.kind() : NodeException.Kind.STOPPED;
            failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
            if (kind.isRetrySafe() && !stopped) {
                try {
                    retries.schedule(() -> propose(value), 5, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    inFlight.release();
                }
            } else {
                if (!kind.isRetrySafe()) {
                    unknown.increment();
                }
                inFlight.release();
            }
        });
    }

    /** Waits until {@code count} values have been acknowledged. */
    void awaitAcked(long count, Duration deadline) {
        Await.until(deadline, () -> acked.size() >= count, () -> "only " + acked.size() + " of " + count
                + " acknowledged; failures " + failures + "; " + cluster.statusLine());
    }

    /** Waits until every value was proposed and none is in flight any more. */
    void awaitDone(Duration deadline) {
        Await.until(deadline, () -> nextValue.get() > total && inFlight.availablePermits() == maxInFlight,
                () -> acked.size() + " acknowledged, " + (maxInFlight - inFlight.availablePermits()) + " in flight; failures "
                        + failures + "; " + cluster.statusLine());
    }

    Set<Long> acked() {
        return Set.copyOf(acked);
    }

    long unknown() {
        return unknown.sum();
    }

    Map<NodeException.Kind, LongAdder> failures() {
        return failures;
    }

    /** Stops proposing and waits (bounded) for what is in flight to settle. */
    @Override
    public void close() {
        stopped = true;
        driver.interrupt();
        try {
            driver.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inFlight.release(retries.shutdownNow().size());
        // Whatever is still waiting ends within the request timeout, one way or another.
        Await.within(Duration.ofSeconds(10), () -> inFlight.availablePermits() >= maxInFlight);
    }
}
