package io.quorum.raft.sim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deterministic simulation of TESTING.md §2: {@code sim.seeds} seeded runs (default 500 from
 * the pom), or the single run {@code -Dsim.seed=S}. Prints exactly one summary line and fails with
 * the seed and the command that replays it.
 */
class SimulationTest {

    static final String REPLAY = "mvn -B -pl raft-core test -Dtest=SimulationTest -Dsim.seed=";

    @Test
    void seededRunsKeepEveryInvariant() {
        String one = System.getProperty("sim.seed", "");
        LongStream seeds = one.isBlank()
                ? LongStream.range(1, 1 + Long.getLong("sim.seeds", 500))
                : LongStream.of(Long.parseLong(one.trim()));
        AtomicLong steps = new AtomicLong();
        AtomicInteger faults = new AtomicInteger();
        List<Simulation.Outcome> failed = seeds.parallel()
                .mapToObj(seed -> Simulation.registers(seed).run())
                .peek(o -> {
                    steps.addAndGet(o.steps());
                    faults.addAndGet(o.faults());
                })
                .filter(o -> !o.violations().isEmpty())
                .sorted((a, b) -> Long.compare(a.seed(), b.seed()))
                .collect(Collectors.toList());
        long runs = one.isBlank() ? Long.getLong("sim.seeds", 500) : 1;
        int violations = failed.stream().mapToInt(o -> o.violations().size()).sum();
        System.out.println("simulation seeds=" + runs + " steps=" + steps.get() + " faults=" + faults.get() + " violations=" + violations);
        assertThat(failed).as(() -> report(failed)).isEmpty();
    }

    private static String report(List<Simulation.Outcome> failed) {
        StringBuilder s = new StringBuilder(failed.size() + " seed(s) failed: "
                + failed.stream().map(o -> Long.toString(o.seed())).collect(Collectors.joining(" ")) + "\n");
        for (Simulation.Outcome o : failed.subList(0, Math.min(5, failed.size()))) {
            s.append("\nseed ").append(o.seed()).append(" — replay: ").append(REPLAY).append(o.seed()).append('\n');
            o.violations().forEach(v -> s.append("  ").append(v).append('\n'));
            List<String> log = o.faultLog();
            s.append("  faults (last 15 of ").append(log.size()).append("):\n");
            log.subList(Math.max(0, log.size() - 15), log.size()).forEach(f -> s.append("    ").append(f).append('\n'));
        }
        return s.toString();
    }
}
