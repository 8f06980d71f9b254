package io.quorum.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The end of a run: a table for a person, or one JSON object per run for scripts ({@code --json}). */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() {
    }

    /** The table: what ran, throughput, latency percentiles in milliseconds, errors and, for a contended lock, fairness. */
    public static String table(BenchOptions options, Result result) {
        Histogram h = result.latencyMicros();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s%s %s: %d clients, %d connections, %s%n", options.target().cliName(),
                options.encrypted() ? " (TLS)" : "",
                options.workload().cliName() + (options.workload().readsKeys() && options.stale() ? " (stale)" : ""),
                options.clients(), options.connections(),
                options.total() > 0 ? options.total() + " operations" : options.duration().toMillis() / 1000.0 + " s"));
        out.append(String.format(Locale.ROOT, "%-12s %12s %9s %9s %9s %9s %9s %9s%n", "operations", "ops/s",
                "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors"));
        out.append(String.format(Locale.ROOT, "%-12d %12.1f %9.3f %9.3f %9.3f %9.3f %9.3f %9d%n", result.succeeded(),
                result.throughput(), millis(h, 50), millis(h, 90), millis(h, 99), millis(h, 99.9),
                h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0, result.failed()));
        for (Map.Entry<String, Long> e : result.errors().entrySet()) {
            out.append(String.format(Locale.ROOT, "  error %-40s %d%n", e.getKey(), e.getValue()));
        }
        if (options.workload() == Workload.LOCK_CONTENDED) {
            out.append(String.format(Locale.ROOT, "fairness: acquisitions per client min %d max %d (max/min %s)%n",
                    result.minPerClient(), result.maxPerClient(), fairnessText(result)));
        }
        return out.toString();
    }

    /** One JSON object (one line) with the options that shape the numbers and every measured number. */
    public static String json(BenchOptions options, Result result) {
        Histogram h = result.latencyMicros();
        ObjectNode root = JSON.createObjectNode();
        root.put("label", options.label());
        root.put("target", options.target().cliName());
        root.put("tls", options.encrypted());
        root.put("workload", options.workload().cliName());
        root.put("stale", options.stale());
        root.put("clients", options.clients());
        root.put("connections", options.connections());
        root.put("keySize", options.keySize());
        root.put("valueSize", options.valueSize());
        root.put("operations", result.succeeded());
        root.put("seconds", result.elapsedNanos() / 1e9);
        root.put("throughput", result.throughput());
        ObjectNode latency = root.putObject("latencyMs");
        latency.put("p50", millis(h, 50));
        latency.put("p90", millis(h, 90));
        latency.put("p99", millis(h, 99));
        latency.put("p999", millis(h, 99.9));
        latency.put("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
        latency.put("mean", h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0);
        ObjectNode errors = root.putObject("errors");
        result.errors().forEach(errors::put);
        if (options.workload() == Workload.LOCK_CONTENDED) {
            ObjectNode fairness = root.putObject("fairness");
            fairness.put("min", result.minPerClient());
            fairness.put("max", result.maxPerClient());
        }
        return root.toString();
    }

    static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String fairnessText(Result result) {
        return result.minPerClient() == 0 ? "∞" : String.format(Locale.ROOT, "%.2f",
                (double) result.maxPerClient() / result.minPerClient());
    }

    /** The live line: measured seconds, last interval's rate and percentiles, totals. */
    static String progressLine(Driver.Progress p) {
        Histogram h = p.interval();
        double rate = p.intervalSeconds() <= 0 ? 0 : h.getTotalCount() / p.intervalSeconds();
        return String.format(Locale.ROOT, "%s %6.1fs %10.1f ops/s  p50 %8.3f ms  p99 %8.3f ms  ok %d  errors %d",
                p.warmingUp() ? "warmup" : "run   ", p.seconds(), rate, millis(h, 50), millis(h, 99), p.succeeded(),
                p.failed());
    }
}
