package io.quorum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The table and JSON of a run, from a histogram whose percentiles are known exactly. */
class ReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 1..1000 µs once each: below 2048 µs HdrHistogram with 3 digits is exact. */
    private static Result knownResult() {
        Histogram h = new Histogram(3);
        for (int us = 1; us <= 1000; us++) {
            h.recordValue(us);
        }
        return new Result(h, 1000, Map.of("http 503 NO_LEADER", 3L, "timeout", 1L), 2_000_000_000L,
                new long[] {400, 600});
    }

    private static BenchOptions options(Workload workload) {
        return new BenchOptions(TargetKind.ETCD, List.of("http://127.0.0.1:2379"), workload, 2, 2, 0,
                Duration.ofSeconds(2), Duration.ofSeconds(1), 8, 256, 100, false, 0.9, Duration.ofSeconds(30), "W2", null);
    }

    @Test
    void jsonCarriesThroughputPercentilesErrorsAndTheOptionsThatShapeThem() throws Exception {
        JsonNode json = JSON.readTree(Report.json(options(Workload.PUT), knownResult()));

        assertThat(json.path("label").asText()).isEqualTo("W2");
        assertThat(json.path("target").asText()).isEqualTo("etcd");
        assertThat(json.path("workload").asText()).isEqualTo("put");
        assertThat(json.path("clients").asInt()).isEqualTo(2);
        assertThat(json.path("operations").asLong()).isEqualTo(1000);
        assertThat(json.path("seconds").asDouble()).isEqualTo(2.0);
        assertThat(json.path("throughput").asDouble()).isEqualTo(500.0);
        JsonNode latency = json.path("latencyMs");
        assertThat(latency.path("p50").asDouble()).isEqualTo(0.5);
        assertThat(latency.path("p90").asDouble()).isEqualTo(0.9);
        assertThat(latency.path("p99").asDouble()).isEqualTo(0.99);
        assertThat(latency.path("p999").asDouble()).isEqualTo(0.999);
        assertThat(latency.path("max").asDouble()).isEqualTo(1.0);
        assertThat(json.path("errors").path("http 503 NO_LEADER").asLong()).isEqualTo(3);
        assertThat(json.path("errors").path("timeout").asLong()).isEqualTo(1);
        assertThat(json.has("fairness")).isFalse();
        assertThat(json.path("tls").asBoolean()).isFalse();
    }

    @Test
    void aRunOverHttpsSaysSoInTheJsonAndTheTable() throws Exception {
        BenchOptions https = new BenchOptions(TargetKind.QUORUM, List.of("https://127.0.0.1:7001"), Workload.PUT, 2, 2,
                0, Duration.ofSeconds(2), Duration.ofSeconds(1), 8, 256, 100, false, 0.9, Duration.ofSeconds(30), "W2",
                null);

        assertThat(JSON.readTree(Report.json(https, knownResult())).path("tls").asBoolean()).isTrue();
        assertThat(Report.table(https, knownResult())).startsWith("quorum (TLS) put: 2 clients");
    }

    @Test
    void lockContendedReportsFairness() throws Exception {
        JsonNode json = JSON.readTree(Report.json(options(Workload.LOCK_CONTENDED), knownResult()));
        assertThat(json.path("fairness").path("min").asLong()).isEqualTo(400);
        assertThat(json.path("fairness").path("max").asLong()).isEqualTo(600);

        assertThat(Report.table(options(Workload.LOCK_CONTENDED), knownResult()))
                .contains("fairness: acquisitions per client min 400 max 600 (max/min 1.50)");
    }

    @Test
    void tableShowsTheSameNumbers() {
        String table = Report.table(options(Workload.PUT), knownResult());

        assertThat(table).startsWith("etcd put: 2 clients, 2 connections, 2.0 s");
        assertThat(table.lines().toList().get(2).split("\\s+"))
                .containsExactly("1000", "500.0", "0.500", "0.900", "0.990", "0.999", "1.000", "4");
        assertThat(table).contains("error http 503 NO_LEADER", "error timeout");
    }

    @Test
    void anEmptyRunReportsZerosRatherThanFailing() throws Exception {
        Result empty = new Result(new Histogram(3), 0, Map.of(), 0, new long[] {0});
        JsonNode json = JSON.readTree(Report.json(options(Workload.PUT), empty));
        assertThat(json.path("throughput").asDouble()).isZero();
        assertThat(json.path("latencyMs").path("p99").asDouble()).isZero();
    }

    @Test
    void compareTableJoinsRunsByLabelWithRatiosOverEtcdAndZooKeeper() throws Exception {
        String quorum = "{\"label\":\"W2 put\",\"target\":\"quorum\",\"throughput\":3000,\"latencyMs\":{\"p50\":2,\"p99\":8},\"errors\":{}}";
        String etcd = "{\"label\":\"W2 put\",\"target\":\"etcd\",\"throughput\":2000,\"latencyMs\":{\"p50\":4,\"p99\":8},\"errors\":{}}";
        String zk = "{\"label\":\"W2 put\",\"target\":\"zookeeper\",\"throughput\":1000,\"latencyMs\":{\"p50\":1,\"p99\":16},\"errors\":{\"timeout\":2}}";

        List<String> lines = CompareTable.render(List.of(quorum, "", etcd, zk)).lines().toList();

        assertThat(lines.get(0).split("\\s+")).containsExactly("workload", "metric", "quorum", "etcd", "zookeeper",
                "Q/etcd", "Q/ZK");
        assertThat(lines.get(1)).startsWith("W2 put");
        assertThat(lines.get(1).split("\\s+")).endsWith("ops/s", "3000", "2000", "1000", "1.50", "3.00");
        assertThat(lines.get(2).split("\\s+")).endsWith("p50", "ms", "2.000", "4.000", "1.000", "0.50", "2.00");
        assertThat(lines.get(3).split("\\s+")).endsWith("p99", "ms", "8.000", "8.000", "16.000", "1.00", "0.50");
        assertThat(lines.get(4).split("\\s+")).endsWith("errors", "0", "0", "2", "-", "0.00");
    }

    private static String run(String label, String target, boolean tls, int clients, double throughput) {
        return "{\"label\":\"" + label + "\",\"target\":\"" + target + "\",\"tls\":" + tls + ",\"clients\":" + clients
                + ",\"throughput\":" + throughput + ",\"latencyMs\":{\"p50\":2,\"p99\":8},\"errors\":{}}";
    }

    @Test
    void tlsRunsGetTheirOwnTableWithWhatTlsCostsAndTheGoal() throws Exception {
        List<String> runs = List.of(run("W2 put, 64", "quorum", false, 64, 2000), run("W2 put, 64", "quorum", true, 64, 1800),
                run("W2 put, 64", "etcd", false, 64, 1000), run("W2 put, 64", "etcd", true, 64, 800),
                run("W3 get, 1", "quorum", false, 1, 500), run("W3 get, 1", "quorum", true, 1, 300),
                run("W3 get, 1", "etcd", true, 1, 400));

        List<String> lines = CompareTable.render(runs).lines().toList();

        assertThat(lines.get(1).split("\\s+")).as("the plaintext table").endsWith("ops/s", "2000", "1000", "-", "2.00", "-");
        int tls = lines.indexOf("With TLS (quorum and etcd: TLS on the client and the peer links):");
        assertThat(lines.get(tls + 1).split("\\s+")).containsExactly("workload", "metric", "quorum+tls", "etcd+tls",
                "Q", "tls/plain", "etcd", "tls/plain", "Q/etcd", "tls");
        assertThat(lines.get(tls + 2).split("\\s+")).endsWith("ops/s", "1800", "800", "0.90", "0.80", "2.25");
        assertThat(lines.get(tls + 5).split("\\s+")).endsWith("ops/s", "300", "400", "0.60", "-", "0.75");
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .isEqualTo("TLS goal, ops/s: Quorum TLS/plain at 64 clients >= 0.85: lowest 0.90 (W2 put, 64): met"));
        assertThat(lines).anySatisfy(line -> assertThat(line).endsWith(
                "Quorum TLS/etcd TLS > 1 on every workload: lowest 0.75 (W3 get, 1): NOT met"));
    }

    @Test
    void aTableShowsErrorsOnlyWhenOneOfItsOwnRunsHadSome() throws Exception {
        String failing = run("W2 put, 64", "etcd", true, 64, 800).replace("\"errors\":{}", "\"errors\":{\"UNAVAILABLE\":2}");
        List<String> lines = CompareTable.render(List.of(run("W2 put, 64", "quorum", false, 64, 2000), failing,
                run("W2 put, 64", "quorum", true, 64, 1800))).lines().toList();

        int tls = lines.indexOf("With TLS (quorum and etcd: TLS on the client and the peer links):");
        assertThat(lines.subList(0, tls)).noneMatch(line -> line.contains("errors"));
        assertThat(lines.subList(tls, lines.size())).anySatisfy(line ->
                assertThat(line.split("\\s+")).endsWith("errors", "0", "2", "-", "-", "0.00"));
    }

    @Test
    void withoutTlsRunsThereIsNoTlsTable() throws Exception {
        assertThat(CompareTable.render(List.of(run("W1", "quorum", false, 1, 10)))).doesNotContain("TLS");
    }
}
