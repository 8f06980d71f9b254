package io.quorum.raft.transport;

import java.util.random.RandomGenerator;

/**
 * Delays between reconnection attempts to one peer: exponential from {@code min} to {@code max},
 * each drawn uniformly from the upper half of its ceiling ("equal jitter"), so that nodes that lost
 * a peer at the same moment do not all knock at once, and no delay falls below half the ceiling.
 *
 * <p>Not thread-safe; used by one connection on its event loop. Randomness is injected so that
 * tests and simulations replay.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int failures;

    Backoff(long minMillis, long maxMillis, RandomGenerator random) {
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 1 <= min <= max, got " + minMillis + ", " + maxMillis);
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The delay before the next attempt; each call without a {@link #reset()} doubles the ceiling. */
    long nextDelayMillis() {
        // min << failures cannot overflow while min <= max >> failures.
        long ceiling = failures < 62 && minMillis <= (maxMillis >> failures) ? minMillis << failures : maxMillis;
        if (ceiling < maxMillis) {
            failures++;
        }
        long half = ceiling / 2;
        return half + random.nextLong(ceiling - half + 1);
    }

    /** After a successful connection: the next outage starts again from the minimum. */
    void reset() {
        failures = 0;
    }
}
