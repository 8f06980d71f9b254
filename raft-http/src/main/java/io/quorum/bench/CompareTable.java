package io.quorum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison table of {@code deploy/bench/compare.sh}: reads the {@code --json} lines of
 * {@code quorum bench} runs, groups them by label in the order the labels first appear, and prints
 * for each label the throughput, p50, p99 (and, for a contended lock, the fairness) of Quorum, etcd
 * and ZooKeeper with the ratios Quorum/etcd and Quorum/ZooKeeper.
 *
 * <p>{@code java -cp quorum.jar io.quorum.bench.CompareTable RESULTS.jsonl}
 */
public final class CompareTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SYSTEMS = List.of("quorum", "etcd", "zookeeper");
    private static final String ROW = "%-24s %-11s %11s %11s %11s %8s %8s%n";

    private CompareTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CompareTable RESULTS.jsonl");
            System.exit(2);
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)));
    }

    /** The table of these JSON lines (blank lines are skipped). */
    static String render(List<String> jsonLines) throws IOException {
        Map<String, Map<String, JsonNode>> byLabel = new LinkedHashMap<>();
        for (String line : jsonLines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode run = JSON.readTree(line);
            byLabel.computeIfAbsent(run.path("label").asText(), l -> new LinkedHashMap<>())
                    .put(run.path("target").asText(), run);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "workload", "metric", "quorum", "etcd", "zookeeper", "Q/etcd", "Q/ZK"));
        for (Map.Entry<String, Map<String, JsonNode>> entry : byLabel.entrySet()) {
            Map<String, JsonNode> runs = entry.getValue();
            row(out, entry.getKey(), "ops/s", runs, run -> run.path("throughput").asDouble(), "%.0f");
            row(out, "", "p50 ms", runs, run -> run.path("latencyMs").path("p50").asDouble(), "%.3f");
            row(out, "", "p99 ms", runs, run -> run.path("latencyMs").path("p99").asDouble(), "%.3f");
            if (runs.values().stream().anyMatch(run -> run.has("fairness"))) {
                row(out, "", "max/min", runs, CompareTable::fairness, "%.2f");
            }
            if (runs.values().stream().anyMatch(run -> run.path("errors").size() > 0)) {
                row(out, "", "errors", runs, CompareTable::errors, "%.0f");
            }
        }
        out.append("Q/x: Quorum's number over the other system's (ops/s: above 1 is Quorum ahead;"
                + " ms and max/min: below 1 is Quorum ahead).\n");
        return out.toString();
    }

    private interface Metric {
        double of(JsonNode run);
    }

    private static void row(StringBuilder out, String label, String metric, Map<String, JsonNode> runs, Metric value,
            String format) {
        String[] cells = new String[SYSTEMS.size()];
        Double[] values = new Double[SYSTEMS.size()];
        for (int i = 0; i < SYSTEMS.size(); i++) {
            JsonNode run = runs.get(SYSTEMS.get(i));
            values[i] = run == null ? null : value.of(run);
            cells[i] = values[i] == null ? "-" : String.format(Locale.ROOT, format, values[i]);
        }
        out.append(String.format(Locale.ROOT, ROW, label, metric, cells[0], cells[1], cells[2],
                ratio(values[0], values[1]), ratio(values[0], values[2])));
    }

    private static String ratio(Double quorum, Double other) {
        if (quorum == null || other == null || other == 0 || quorum.isInfinite() || other.isInfinite()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", quorum / other);
    }

    private static double fairness(JsonNode run) {
        long min = run.path("fairness").path("min").asLong();
        long max = run.path("fairness").path("max").asLong();
        return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
    }

    private static double errors(JsonNode run) {
        double sum = 0;
        for (JsonNode n : run.path("errors")) {
            sum += n.asDouble();
        }
        return sum;
    }
}
