package io.quorum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>Runs over TLS ({@code "tls": true}) are kept apart from the plaintext ones: when there are
 * any, a second table shows Quorum and etcd with TLS, what TLS costs each (its TLS number over its
 * plaintext number, measured in the same invocation) and Quorum-TLS/etcd-TLS, followed by the
 * benchmark issue's goal for TLS read off those ratios: TLS costs Quorum at most 15% of its
 * throughput at 64 clients, and Quorum with TLS stays ahead of etcd with TLS on every workload.
 *
 * <p>{@code java -cp quorum.jar io.quorum.bench.CompareTable RESULTS.jsonl}
 */
public final class CompareTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TLS = "+tls";
    private static final List<String> PLAIN_SYSTEMS = List.of("quorum", "etcd", "zookeeper");
    private static final List<Ratio> PLAIN_RATIOS = List.of(new Ratio("Q/etcd", "quorum", "etcd"),
            new Ratio("Q/ZK", "quorum", "zookeeper"));
    private static final List<String> TLS_SYSTEMS = List.of("quorum" + TLS, "etcd" + TLS);
    private static final List<Ratio> TLS_RATIOS = List.of(new Ratio("Q tls/plain", "quorum" + TLS, "quorum"),
            new Ratio("etcd tls/plain", "etcd" + TLS, "etcd"), new Ratio("Q/etcd tls", "quorum" + TLS, "etcd" + TLS));
    /** The goal's bound on what TLS may cost Quorum at 64 clients: at least this share of its plaintext throughput. */
    private static final double TLS_KEEPS_AT_LEAST = 0.85;

    private CompareTable() {
    }

    /** A column of quotients: the number of system {@code over} divided by that of {@code under}. */
    private record Ratio(String header, String over, String under) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CompareTable RESULTS.jsonl");
            System.exit(2);
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)));
    }

    /** The table(s) of these JSON lines (blank lines are skipped). */
    static String render(List<String> jsonLines) throws IOException {
        Map<String, Map<String, JsonNode>> byLabel = new LinkedHashMap<>();
        boolean anyTls = false;
        for (String line : jsonLines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode run = JSON.readTree(line);
            boolean tls = run.path("tls").asBoolean(false);
            anyTls |= tls;
            byLabel.computeIfAbsent(run.path("label").asText(), l -> new LinkedHashMap<>())
                    .put(run.path("target").asText() + (tls ? TLS : ""), run);
        }
        StringBuilder out = new StringBuilder();
        table(out, byLabel, PLAIN_SYSTEMS, PLAIN_RATIOS);
        out.append("Q/x: Quorum's number over the other system's (ops/s: above 1 is Quorum ahead;"
                + " ms and max/min: below 1 is Quorum ahead).\n");
        if (anyTls) {
            out.append("\nWith TLS (quorum and etcd: TLS on the client and the peer links):\n");
            table(out, byLabel, TLS_SYSTEMS, TLS_RATIOS);
            out.append("x tls/plain: the system's number with TLS over its plaintext number above (ops/s: 1 is no cost).\n");
            tlsGoal(out, byLabel);
        }
        return out.toString();
    }

    private interface Metric {
        double of(JsonNode run);
    }

    /** Rows for every label that has a run of one of {@code systems}. */
    private static void table(StringBuilder out, Map<String, Map<String, JsonNode>> byLabel, List<String> systems,
            List<Ratio> ratios) {
        List<String> header = new ArrayList<>(List.of("workload", "metric"));
        header.addAll(systems);
        ratios.forEach(r -> header.add(r.header()));
        out.append(line(header, ratios));
        for (Map.Entry<String, Map<String, JsonNode>> entry : byLabel.entrySet()) {
            Map<String, JsonNode> runs = entry.getValue();
            List<JsonNode> shown = systems.stream().filter(runs::containsKey).map(runs::get).toList();
            if (shown.isEmpty()) {
                continue;
            }
            row(out, entry.getKey(), "ops/s", runs, systems, ratios, CompareTable::throughput, "%.0f");
            row(out, "", "p50 ms", runs, systems, ratios, run -> run.path("latencyMs").path("p50").asDouble(), "%.3f");
            row(out, "", "p99 ms", runs, systems, ratios, run -> run.path("latencyMs").path("p99").asDouble(), "%.3f");
            if (shown.stream().anyMatch(run -> run.has("fairness"))) {
                row(out, "", "max/min", runs, systems, ratios, CompareTable::fairness, "%.2f");
            }
            if (shown.stream().anyMatch(run -> run.path("errors").size() > 0)) {
                row(out, "", "errors", runs, systems, ratios, CompareTable::errors, "%.0f");
            }
        }
    }

    private static void row(StringBuilder out, String label, String metric, Map<String, JsonNode> runs,
            List<String> systems, List<Ratio> ratios, Metric value, String format) {
        List<String> cells = new ArrayList<>(List.of(label, metric));
        for (String system : systems) {
            JsonNode run = runs.get(system);
            cells.add(run == null ? "-" : String.format(Locale.ROOT, format, value.of(run)));
        }
        for (Ratio ratio : ratios) {
            JsonNode over = runs.get(ratio.over());
            JsonNode under = runs.get(ratio.under());
            cells.add(over == null || under == null ? "-" : ratio(value.of(over), value.of(under)));
        }
        out.append(line(cells, ratios));
    }

    /** Workload 24 wide, metric 11, each system's number 11, each ratio as wide as its header (at least 8). */
    private static String line(List<String> cells, List<Ratio> ratios) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-24s %-11s", cells.get(0), cells.get(1)));
        int firstRatio = cells.size() - ratios.size();
        for (int i = 2; i < cells.size(); i++) {
            int width = i < firstRatio ? 11 : Math.max(8, ratios.get(i - firstRatio).header().length());
            text.append(String.format(Locale.ROOT, " %" + width + "s", cells.get(i)));
        }
        return text.append('\n').toString();
    }

    private static String ratio(double over, double under) {
        if (under == 0 || Double.isInfinite(over) || Double.isInfinite(under)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", over / under);
    }

    /**
     * The goal for TLS, on throughput: the lowest Quorum TLS/plain ratio among the runs with 64
     * clients (at least 0.85 wanted), and the lowest Quorum-TLS/etcd-TLS ratio among all runs
     * (above 1 wanted), each with the workload where it was found.
     */
    private static void tlsGoal(StringBuilder out, Map<String, Map<String, JsonNode>> byLabel) {
        Lowest cost = new Lowest();
        Lowest lead = new Lowest();
        for (Map.Entry<String, Map<String, JsonNode>> entry : byLabel.entrySet()) {
            Map<String, JsonNode> runs = entry.getValue();
            JsonNode quorumTls = runs.get("quorum" + TLS);
            if (quorumTls == null) {
                continue;
            }
            if (quorumTls.path("clients").asInt() == 64 && runs.containsKey("quorum")) {
                cost.offer(entry.getKey(), throughput(quorumTls), throughput(runs.get("quorum")));
            }
            if (runs.containsKey("etcd" + TLS)) {
                lead.offer(entry.getKey(), throughput(quorumTls), throughput(runs.get("etcd" + TLS)));
            }
        }
        out.append(String.format(Locale.ROOT, "TLS goal, ops/s: Quorum TLS/plain at 64 clients >= %.2f: %s%n",
                TLS_KEEPS_AT_LEAST, cost.verdict(TLS_KEEPS_AT_LEAST, true)));
        out.append("                 Quorum TLS/etcd TLS > 1 on every workload: " + lead.verdict(1, false) + "\n");
    }

    /** The lowest of some ratios and the workload it belongs to. */
    private static final class Lowest {
        private double value = Double.POSITIVE_INFINITY;
        private String label;

        void offer(String label, double over, double under) {
            if (under > 0 && over / under < value) {
                value = over / under;
                this.label = label;
            }
        }

        String verdict(double bound, boolean boundIncluded) {
            if (label == null) {
                return "not measured";
            }
            boolean met = boundIncluded ? value >= bound : value > bound;
            return String.format(Locale.ROOT, "lowest %.2f (%s): %s", value, label, met ? "met" : "NOT met");
        }
    }

    private static double throughput(JsonNode run) {
        return run.path("throughput").asDouble();
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
