package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorum.raft.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * deploy/'s monitoring against a real cluster: three nodes from the jar, scraped every second by
 * a real Prometheus whose config is derived from {@code deploy/prometheus/prometheus.yml} (with
 * {@code alerts.yml} loaded), after a workload of writes, compare-and-set, sessions (one of them
 * expiring), contended locks, fenced writes and a leadership transfer. Every query of the Grafana
 * dashboard must parse and return data, every alert expression must parse, and every node's page
 * passes {@code promtool check metrics}. Skipped where {@code prometheus} is not installed.
 */
class PrometheusIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestExecutionExceptionHandler LOGS = (context, failure) -> {
        System.err.println("==== " + context.getDisplayName() + " failed: " + failure + "; the logs follow");
        printLogs();
        throw failure;
    };

    private static ProcessCluster cluster;
    private static PrometheusServer prometheus;
    private static MonitoringWorkload.Outcome workload;
    private static final MonitoringFiles FILES = new MonitoringFiles();

    @BeforeAll
    static void startClusterPrometheusAndWorkload() {
        assumeTrue(PrometheusServer.installed(), PrometheusServer.BINARY
                + " is not installed (Debian package prometheus, which .ci/run installs): skipping the checks on a real Prometheus");
        Path root = Path.of("target", "it", "PrometheusIT-" + System.currentTimeMillis()).toAbsolutePath();
        cluster = ProcessCluster.start(3, root);
        try {
            Map<String, Integer> ports = new TreeMap<>();
            cluster.nodes().forEach(n -> ports.put(n.id(), n.httpPort()));
            Path config = FILES.write(FILES.scrapeConfigFor(ports), root.resolve("prometheus/prometheus.yml"));
            prometheus = PrometheusServer.start(config, root.resolve("prometheus"));
            Await.until("Prometheus scraped every node once", DEADLINE, ProcessCluster.throttled(
                    () -> prometheus.query("up{job=\"quorum\"} == 1").samples().size() == ports.size()));
            workload = new MonitoringWorkload(cluster, prometheus).run();
        } catch (RuntimeException | Error e) {
            printLogs();
            throw e;
        }
    }

    @AfterAll
    static void stopAll() {
        if (prometheus != null) {
            prometheus.close();
            prometheus = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    private static void printLogs() {
        if (cluster != null) {
            cluster.printLogs(System.err);
        }
        if (prometheus != null) {
            System.err.println("======== " + prometheus + " log " + prometheus.logFile());
            System.err.println(prometheus.log());
        }
    }

    @Test
    void prometheusScrapesEveryNodeWithItsNodeLabel() {
        PrometheusServer.ApiAnswer targets = prometheus.api("/api/v1/targets?state=active");
        assertThat(targets.success()).as(targets.toString()).isTrue();
        Map<String, String> healthByNode = new TreeMap<>();
        Map<String, String> instanceByNode = new TreeMap<>();
        for (JsonNode target : targets.data().path("activeTargets")) {
            String node = target.path("labels").path("node").asText();
            healthByNode.put(node, target.path("health").asText());
            instanceByNode.put(node, target.path("labels").path("instance").asText());
            assertThat(target.path("labels").path("job").asText()).isEqualTo("quorum");
        }
        assertThat(healthByNode).as("targets by node label").isEqualTo(Map.of("n1", "up", "n2", "up", "n3", "up"));
        for (NodeProcess node : cluster.nodes()) {
            assertThat(instanceByNode.get(node.id())).as("the instance scraped for " + node.id())
                    .isEqualTo("127.0.0.1:" + node.httpPort());
        }
    }

    @Test
    void prometheusLoadedAndEvaluatesEveryAlertingRule() {
        Set<String> expected = FILES.alertQueries().stream().map(MonitoringFiles.Query::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, String> healthByAlert = new TreeMap<>();
        Await.until(DEADLINE, ProcessCluster.throttled(() -> {
            PrometheusServer.ApiAnswer rules = prometheus.api("/api/v1/rules?type=alert");
            assertThat(rules.success()).as(rules.toString()).isTrue();
            healthByAlert.clear();
            for (JsonNode group : rules.data().path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    healthByAlert.put(rule.path("name").asText(), rule.path("health").asText() + " "
                            + rule.path("lastError").asText(""));
                }
            }
            return healthByAlert.keySet().equals(expected)
                    && healthByAlert.values().stream().allMatch(h -> h.strip().equals("ok"));
        }), () -> "every rule of " + MonitoringFiles.ALERTS + " " + expected + " loaded and evaluated without error: "
                + healthByAlert);
    }

    @Test
    void everyDashboardQueryParsesAndReturnsData() {
        List<MonitoringFiles.Query> queries = FILES.dashboardQueries();
        assertThat(queries).as("the dashboard's queries").hasSizeGreaterThan(20);
        Map<MonitoringFiles.Query, PrometheusServer.ApiAnswer> answers = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        Await.until(DEADLINE, ProcessCluster.throttled(() -> {
            missing.clear();
            for (MonitoringFiles.Query query : queries) {
                PrometheusServer.ApiAnswer answer = prometheus.query(query.expr());
                assertThat(answer.success()).as("%s: %s%n%s", query.name(), query.expr(), answer).isTrue();
                answers.put(query, answer);
                if (!answer.hasFiniteSample()) {
                    missing.add(query.name() + ": " + query.expr() + " -> " + answer.data().path("result"));
                }
            }
            return missing.isEmpty();
        }), () -> "every dashboard query returns a sample with a value; without: " + missing);
        answers.forEach(PrometheusIT::printCheck);
    }

    @Test
    void everyAlertExpressionParsesAndEvaluates() {
        for (MonitoringFiles.Query query : FILES.alertQueries()) {
            PrometheusServer.ApiAnswer answer = prometheus.query(query.expr());
            assertThat(answer.success()).as("%s: %s%n%s", query.name(), query.expr(), answer).isTrue();
            printCheck(query, answer);
        }
    }

    @Test
    void theCountersMovedAsTheWorkloadDrove() {
        Await.until(DEADLINE, ProcessCluster.throttled(() -> {
            for (NodeProcess node : cluster.nodes()) {
                double before = workload.leaderChangesBefore().get(node.id());
                if (value("quorum_raft_leader_changes_total{node=\"" + node.id() + "\"}") <= before) {
                    return false;
                }
            }
            return true;
        }), () -> "every node's leader changes counter moved past " + workload.leaderChangesBefore()
                + " after the transfer to " + workload.transferredTo());
        Await.until("Prometheus sees the expired session, the fenced writes refused and the lock waits", DEADLINE,
                ProcessCluster.throttled(() -> value("max(quorum_sessions_expired_total)") >= 1
                        && value("sum(quorum_fenced_writes_rejected_total)") >= workload.fencedWritesRejected()
                        && value("max(quorum_lock_wait_seconds_count)") >= workload.lockWaits()
                        && value("max(quorum_lock_hold_seconds_count)") >= workload.lockWaits()));
        assertThat(value("max(quorum_raft_is_leader{node=\"" + workload.transferredTo() + "\"})"))
                .as("the transfer target reports itself leader").isEqualTo(1.0);
        assertThat(value("sum(quorum_raft_is_leader)")).as("one leader").isEqualTo(1.0);
    }

    @Test
    void everyNodesScrapedPagePassesPromtoolCheckMetrics() throws IOException, InterruptedException {
        assumeTrue(Path.of("/usr/bin/promtool").toFile().canExecute(), "promtool is not installed: skipping its check");
        for (NodeProcess node : cluster.nodes()) {
            Http.Answer page = node.http().get("/metrics");
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            Process check = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
            check.getOutputStream().write(page.text().getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(check.exitValue()).as("promtool check metrics on %s:%n%s", node.id(), output).isZero();
        }
    }

    /** The value of the first sample of {@code expr}, or -1 when it has none. */
    private static double value(String expr) {
        PrometheusServer.ApiAnswer answer = prometheus.query(expr);
        assertThat(answer.success()).as("%s: %s", expr, answer).isTrue();
        return answer.firstValue().map(Double::parseDouble).orElse(-1.0);
    }

    private static void printCheck(MonitoringFiles.Query query, PrometheusServer.ApiAnswer answer) {
        System.out.println("prometheus-check kind=" + query.kind() + " name=\"" + query.name() + "\" value="
                + answer.firstValue().orElse("n/a") + " samples=" + answer.samples().size());
    }
}
