package io.quorum.coord.sim;

import io.quorum.raft.sim.EventQueue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The wall clocks of the simulated nodes, in milliseconds, derived from the simulation's clock
 * (one time unit is one millisecond, a tick is ten): each node's clock is offset from the others
 * by up to {@link #MAX_OFFSET} and runs up to {@link #MAX_DRIFT_PERMILLE} per mille fast or slow,
 * so a new leader's clock may be behind or ahead of the old one's. A crash does not reset a clock.
 * The leader stamps the entries it proposes with its clock.
 */
final class NodeClocks {

    static final long BASE = 1_000_000;
    static final int MAX_OFFSET = 250;
    static final int MAX_DRIFT_PERMILLE = 50;

    private record Skew(long offset, long ratePermille) {
    }

    private final EventQueue clock;
    private final SplittableRandom random;
    private final Map<String, Skew> skews = new HashMap<>();

    NodeClocks(EventQueue clock, SplittableRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** Node {@code id}'s wall clock now. */
    long now(String id) {
        Skew skew = skews.computeIfAbsent(id, k -> new Skew(random.nextInt(MAX_OFFSET + 1),
                1000 - MAX_DRIFT_PERMILLE + random.nextInt(2 * MAX_DRIFT_PERMILLE + 1)));
        return BASE + skew.offset() + clock.now() * skew.ratePermille() / 1000;
    }
}
