package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link MonitoringFiles} turns deploy/'s files into what PrometheusIT runs and asks. */
class MonitoringFilesTest {

    private final MonitoringFiles files = new MonitoringFiles();
    private final Map<String, Integer> ports = Map.of("n1", 41001, "n2", 41002, "n3", 41003);

    @Test
    void theScrapeConfigKeepsJobsAndLabelsWithTheClustersPortsAndAbsoluteRules() {
        JsonNode config = files.scrapeConfigFor(ports);
        assertThat(config.at("/global/scrape_interval").asText()).isEqualTo("1s");
        assertThat(config.at("/global/evaluation_interval").asText()).isEqualTo("1s");
        assertThat(config.at("/global/external_labels/cluster").asText()).as("kept").isEqualTo("local");
        Path rules = Path.of(config.at("/rule_files/0").asText());
        assertThat(rules).isAbsolute().exists().hasFileName("alerts.yml");
        JsonNode job = config.at("/scrape_configs/0");
        assertThat(job.path("job_name").asText()).isEqualTo("quorum");
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(job.path("scrape_timeout").asText()).as("not above the interval").isEqualTo("1s");
        List<String> targets = new ArrayList<>();
        job.path("static_configs").forEach(group -> targets.add(group.at("/labels/node").asText() + "="
                + group.at("/targets/0").asText() + "/" + group.path("targets").size()));
        assertThat(targets).containsExactlyInAnyOrder("n1=127.0.0.1:41001/1", "n2=127.0.0.1:41002/1",
                "n3=127.0.0.1:41003/1");
    }

    @Test
    void aClusterMemberThatTheConfigDoesNotScrapeIsAnError() {
        assertThatThrownBy(() -> files.scrapeConfigFor(Map.of("n1", 1, "n2", 2, "n3", 3, "n4", 4)))
                .hasMessageContaining("not every member");
        assertThatThrownBy(() -> files.scrapeConfigFor(Map.of("n1", 1, "n2", 2)))
                .hasMessageContaining("n3");
    }

    @Test
    void theDerivedConfigPassesPromtool(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is not installed: skipping its check");
        Path config = files.write(files.scrapeConfigFor(ports), dir.resolve("prometheus.yml"));
        Process check = new ProcessBuilder("/usr/bin/promtool", "check", "config", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void grafanaIntervalVariablesBecomeWindowsAndOthersAreErrors() {
        assertThat(MonitoringFiles.substituteVariables("rate(x[$__rate_interval]) + rate(y[${__interval}])", "p"))
                .isEqualTo("rate(x[1m]) + rate(y[15s])");
        assertThat(MonitoringFiles.substituteVariables("sum(x{job=\"quorum\"})", "p")).isEqualTo("sum(x{job=\"quorum\"})");
        assertThatThrownBy(() -> MonitoringFiles.substituteVariables("x{node=\"$node\"}", "Panel"))
                .hasMessageContaining("Panel").hasMessageContaining("$node");
    }

    @Test
    void everyPanelQueryAndEveryAlertIsFound() {
        List<MonitoringFiles.Query> panels = files.dashboardQueries();
        assertThat(panels).extracting(MonitoringFiles.Query::kind).containsOnly("panel");
        assertThat(panels).extracting(MonitoringFiles.Query::name)
                .contains("Leader per node", "Commit latency (p99)", "Errors (5xx ratio)", "Lock wait (p50)")
                .doesNotHaveDuplicates();
        assertThat(panels).allSatisfy(q -> assertThat(q.expr()).isNotBlank().doesNotContain("$"));
        assertThat(files.alertQueries()).extracting(MonitoringFiles.Query::name)
                .contains("QuorumNoLeader", "QuorumMemberDown", "QuorumProposalsFailing");
    }
}
