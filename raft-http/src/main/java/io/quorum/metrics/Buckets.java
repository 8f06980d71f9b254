package io.quorum.metrics;

import java.time.Duration;

/**
 * The bucket boundaries of the histograms (service-level objectives), chosen per quantity so that
 * a few buckets resolve its useful range: sub-millisecond fsyncs, commit latencies up to the
 * request timeout, lock waits and holds up to minutes.
 */
final class Buckets {

    private Buckets() {}

    /** 50 µs … 1 s. */
    static final Duration[] FSYNC = durations(
            micros(50), micros(100), micros(250), micros(500), millis(1), millis(2), millis(5), millis(10),
            millis(25), millis(50), millis(100), millis(250), millis(500), millis(1000));

    /** 100 µs … 10 s. */
    static final Duration[] COMMIT = durations(
            micros(100), micros(250), micros(500), millis(1), millis(2), millis(5), millis(10), millis(25),
            millis(50), millis(100), millis(250), millis(500), millis(1000), millis(2500), millis(5000), millis(10_000));

    /** 1 ms … 10 min. */
    static final Duration[] LOCK = durations(
            millis(1), millis(10), millis(100), millis(500), seconds(1), seconds(5), seconds(10), seconds(30),
            seconds(60), seconds(120), seconds(300), seconds(600));

    /** 1 ms … 10 s: HTTP requests, long polls of watches and lock waits aside. */
    static final Duration[] HTTP = durations(
            millis(1), millis(2), millis(5), millis(10), millis(25), millis(50), millis(100), millis(250),
            millis(500), millis(1000), millis(2500), millis(5000), millis(10_000));

    /** Entries per appended batch: 1 … 4096, powers of two. */
    static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

    private static Duration[] durations(Duration... values) {
        return values;
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1_000);
    }

    private static Duration millis(long n) {
        return Duration.ofMillis(n);
    }

    private static Duration seconds(long n) {
        return Duration.ofSeconds(n);
    }
}
