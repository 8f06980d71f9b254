package io.quorum.it;

import io.quorum.client.QuorumClient;
import io.quorum.it.history.History;
import io.quorum.it.history.HistoryOp;
import io.quorum.it.history.LockChecker;
import io.quorum.it.history.RegisterChecker;
import io.quorum.it.history.WatchChecker;
import io.quorum.raft.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fault scenario on a {@link ProcessCluster}: workloads (registers, lock clients, a watcher)
 * record a {@link History} while a {@link Nemesis} injects faults in cycles until the run's time is
 * up, and a {@link LeaderObserver} checks that no term has two leaders; then every fault is healed,
 * the workloads stop, final reads are taken and the checkers run.
 * {@link #finish} prints {@code fault-scenario name=<name> ops=<N> faults=<F> violations=<V>} and,
 * when a checker found something, saves the history as JSON under {@code target/fault-histories/}.
 */
final class FaultRun {

    /** How long a scenario runs its nemesis: {@code -Dfault.seconds} (the {@code stress} profile: 600). */
    static final Duration DURATION = Duration.ofSeconds(Long.getLong("fault.seconds", 15));
    /** How long the cluster may take to make progress once a majority can talk. */
    static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(30);

    /** One cycle of faults: inject, hold until the cluster made its point, heal. */
    @FunctionalInterface
    interface Nemesis {
        void cycle(FaultRun run, SplittableRandom random);
    }

    private final String name;
    private final ProcessCluster cluster;
    private final History history = new History();
    private final QuorumClient client;
    private final SplittableRandom random;
    private final String prefix;
    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger faults = new AtomicInteger();
    private RegisterClients registers;
    private LockClients locks;
    private EventWatcher watcher;
    private final LeaderObserver observer;

    FaultRun(String name, ProcessCluster cluster, long seed) {
        this.name = name;
        this.cluster = cluster;
        this.client = ClientHistory.clientOf(cluster.nodes());
        this.random = new SplittableRandom(seed);
        this.prefix = "fault/" + name + "-" + seed + "/";
        this.observer = new LeaderObserver(cluster.nodes());
    }

    FaultRun registers(int clients, int keys, int readPercent) {
        registers = new RegisterClients(history, ClientHistory.clientPerNode(cluster.nodes()), prefix, clients, keys, readPercent, random.nextLong());
        return this;
    }

    FaultRun locks(int clients) {
        locks = new LockClients(history, client, prefix, clients, random.nextLong());
        return this;
    }

    /** A watch of every key from the current commit index on. */
    FaultRun watch() {
        watcher = new EventWatcher(client, history, client.cluster().commitIndex());
        return this;
    }

    ProcessCluster cluster() {
        return cluster;
    }

    QuorumClient client() {
        return client;
    }

    History history() {
        return history;
    }

    String prefix() {
        return prefix;
    }

    /** Records that a fault was injected. */
    void inject(String what) {
        faults.incrementAndGet();
        history.fault("inject " + what);
    }

    /** Records that a fault was undone. */
    void healed(String what) {
        history.fault("heal " + what);
    }

    /** A violation found during the run rather than by a checker (a property asserted on the spot). */
    void violation(String what) {
        synchronized (violations) {
            violations.add(what);
        }
    }

    /** Runs {@code nemesis} in cycles for {@link #DURATION}, then heals everything. */
    FaultRun run(Nemesis nemesis) {
        long end = System.nanoTime() + DURATION.toNanos();
        try {
            while (System.nanoTime() - end < 0) {
                nemesis.cycle(this, random);
            }
        } catch (RuntimeException | Error e) {
            try {
                cluster.heal();
            } catch (RuntimeException | Error healing) {
                e.addSuppressed(healing);
            }
            throw e;
        }
        cluster.heal();
        healed("all");
        return this;
    }

    /** Waits until {@code count} more operations were acknowledged; a violation when none come by the deadline. */
    void awaitAcknowledged(int count) {
        long target = acknowledged() + count;
        try {
            Await.until("operations acknowledged", PROGRESS_DEADLINE, ProcessCluster.throttled(() -> acknowledged() >= target));
        } catch (AssertionError e) {
            violation("no progress: fewer than " + count + " operations acknowledged within " + PROGRESS_DEADLINE
                    + " with a majority up (" + history.faults().get(history.faults().size() - 1) + ")");
        }
    }

    private long acknowledged() {
        return history.ops().stream().filter(HistoryOp::ok).count();
    }

    /** The leader {@code group} agrees on, waiting for one; a violation and empty when none by the deadline. */
    Optional<NodeProcess> awaitLeaderAmong(List<NodeProcess> group) {
        NodeProcess[] leader = {null};
        try {
            Await.until("a leader among " + group, PROGRESS_DEADLINE, ProcessCluster.throttled(() -> {
                leader[0] = cluster.currentLeaderAmong(group).orElse(null);
                return leader[0] != null;
            }));
        } catch (AssertionError e) {
            violation("no leader among " + group + " within " + PROGRESS_DEADLINE);
        }
        return Optional.ofNullable(leader[0]);
    }

    /**
     * Stops the workloads, reads the final state, runs the checkers and prints the scenario's line.
     * Returns the violations (none: the scenario passed).
     */
    List<String> finish() {
        if (registers != null) {
            registers.close();
        }
        if (locks != null) {
            locks.close();
        }
        observer.close();
        List<String> found = new ArrayList<>(violations);
        found.addAll(observer.violations());
        Map<String, Long> finalVersions = registers != null ? registers.finalReads() : Map.of();
        long counter = locks != null ? locks.finalCounter() : 0;
        if (watcher != null) {
            long commit = client.cluster().commitIndex();
            watcher.drainTo(commit, PROGRESS_DEADLINE);
            if (watcher.failure() != null) {
                found.add("watch: " + watcher.failure());
            } else if (watcher.position() < commit) {
                found.add("watch: stopped at index " + watcher.position() + ", short of the commit index " + commit);
            }
        }
        List<HistoryOp> ops = history.ops();
        if (registers != null) {
            found.addAll(RegisterChecker.check(ops));
        }
        if (locks != null) {
            found.addAll(LockChecker.check(ops, history.events(), locks.counterKey(), counter));
        }
        if (watcher != null) {
            watcher.close();
            Map<String, Long> watched = new java.util.HashMap<>(finalVersions);
            if (locks != null) {
                watched.remove(locks.counterKey());
            }
            found.addAll(WatchChecker.check(history.events(), watched));
        }
        long count = ops.stream().filter(o -> !o.client().equals("final")).count();
        System.out.printf("fault-scenario name=%s ops=%d faults=%d violations=%d%n", name, count, faults.get(), found.size());
        System.out.println("fault-scenario " + name + " outcomes " + outcomes(ops));
        if (!found.isEmpty()) {
            Path saved = history.save(Path.of("target", "fault-histories", name + ".json"), found);
            System.out.println("fault-scenario " + name + " history saved to " + saved.toAbsolutePath());
            found.forEach(v -> System.out.println("fault-scenario " + name + " violation: " + v));
        }
        return found;
    }

    private static Map<String, Long> outcomes(List<HistoryOp> ops) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (HistoryOp op : ops) {
            counts.merge(op.op() + "/" + op.outcome(), 1L, Long::sum);
        }
        return counts;
    }
}
