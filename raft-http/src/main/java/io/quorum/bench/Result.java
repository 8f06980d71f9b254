package io.quorum.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The measured part of one run: operations that started after the warmup.
 *
 * @param latencyMicros latency of the successful operations, in microseconds
 * @param succeeded     successful operations
 * @param errors        failed operations by kind
 * @param elapsedNanos  from the end of the warmup to the last measured completion
 * @param perClient     successful operations of each client (fairness of a contended lock)
 */
public record Result(Histogram latencyMicros, long succeeded, Map<String, Long> errors, long elapsedNanos,
        long[] perClient) {

    public Result {
        errors = Map.copyOf(new TreeMap<>(errors));
        perClient = perClient.clone();
    }

    public long failed() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Successful operations per second of the measured time; 0 when nothing was measured. */
    public double throughput() {
        return elapsedNanos <= 0 ? 0 : succeeded * 1e9 / elapsedNanos;
    }

    public long minPerClient() {
        long min = Long.MAX_VALUE;
        for (long n : perClient) {
            min = Math.min(min, n);
        }
        return perClient.length == 0 ? 0 : min;
    }

    public long maxPerClient() {
        long max = 0;
        for (long n : perClient) {
            max = Math.max(max, n);
        }
        return max;
    }

    @Override
    public long[] perClient() {
        return perClient.clone();
    }
}
