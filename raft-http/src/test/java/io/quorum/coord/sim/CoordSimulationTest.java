package io.quorum.coord.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.sim.Simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's simulation test: the coordination state machine on 3 or 5 simulated nodes under
 * raft-core's fault schedules (partitions, message loss, pauses, crashes with lost or torn
 * writes, failed fsyncs, leader churn, compaction and snapshots, membership changes), with
 * simulated clients using sessions, locks and fenced writes. Per lock, tokens strictly increase in
 * grant order and no two exclusive grants overlap in log order; no grant goes to a session that
 * had ended; replicas answer alike and their state hashes agree at equal applied indexes; plus
 * every invariant of raft-core's checker.
 *
 * <p>Runs {@code coord.sim.seeds} seeds (default 200), or the one seed {@code -Dcoord.sim.seed=S};
 * prints exactly one summary line ({@code -Dcoord.sim.verbose=true} adds one line per seed with
 * what it exercised); a failure names its seeds and the command that replays one.
 */
class CoordSimulationTest {

    static final String REPLAY = "mvn -B -pl raft-http -am test -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Dtest=CoordSimulationTest -Dcoord.sim.seed=";

    @Test
    void locksStaySafeUnderFaults() {
        String one = System.getProperty("coord.sim.seed", "");
        long runs = one.isBlank() ? Long.getLong("coord.sim.seeds", 200) : 1;
        LongStream seeds = one.isBlank() ? LongStream.rangeClosed(1, runs) : LongStream.of(Long.parseLong(one.trim()));
        AtomicLong steps = new AtomicLong();
        AtomicInteger faults = new AtomicInteger();
        Map<Long, String> stats = new ConcurrentHashMap<>();
        List<Simulation.Outcome> failed = seeds.parallel()
                .mapToObj(seed -> run(seed, stats))
                .peek(o -> {
                    steps.addAndGet(o.steps());
                    faults.addAndGet(o.faults());
                })
                .filter(o -> !o.violations().isEmpty())
                .sorted((a, b) -> Long.compare(a.seed(), b.seed()))
                .collect(Collectors.toList());
        int violations = failed.stream().mapToInt(o -> o.violations().size()).sum();
        System.out.println("coord-simulation seeds=" + runs + " steps=" + steps.get() + " faults=" + faults.get()
                + " violations=" + violations);
        assertThat(violations).as(() -> report(failed, stats)).isZero();
    }

    private static Simulation.Outcome run(long seed, Map<Long, String> stats) {
        List<CoordWorkload> workload = new ArrayList<>(1);
        Simulation.Outcome outcome = new Simulation(seed, CoordWorkload::stateMachine, (clock, random, options) -> {
            CoordWorkload w = new CoordWorkload(clock, random, options);
            workload.add(w);
            return w;
        }).run();
        stats.put(seed, workload.get(0).stats() + " operations=" + outcome.operations());
        if (Boolean.getBoolean("coord.sim.verbose")) {
            System.out.println("  seed " + seed + ": steps=" + outcome.steps() + " faults=" + outcome.faults() + " " + stats.get(seed));
        }
        return outcome;
    }

    private static String report(List<Simulation.Outcome> failed, Map<Long, String> stats) {
        StringBuilder s = new StringBuilder(failed.size() + " seed(s) failed: "
                + failed.stream().map(o -> Long.toString(o.seed())).collect(Collectors.joining(" ")) + "\n");
        for (Simulation.Outcome o : failed.subList(0, Math.min(5, failed.size()))) {
            s.append("\nseed ").append(o.seed()).append(" — replay: ").append(REPLAY).append(o.seed()).append('\n');
            s.append("  ran: ").append(stats.get(o.seed())).append('\n');
            o.violations().forEach(v -> s.append("  ").append(v).append('\n'));
            List<String> log = o.faultLog();
            s.append("  faults (last 15 of ").append(log.size()).append("):\n");
            log.subList(Math.max(0, log.size() - 15), log.size()).forEach(f -> s.append("    ").append(f).append('\n'));
        }
        return s.toString();
    }
}
