package io.quorum.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus checked by Prometheus's own {@code promtool}: the scrape config and the
 * alerting rules load, and the rules' unit tests ({@code alerts_test.yml}) pass. Skipped where
 * promtool is not installed ({@code .ci/run} installs Debian's {@code prometheus}).
 */
class PromtoolTest {

    private static final DeployFiles FILES = DeployFiles.locate();

    @BeforeAll
    static void promtoolIsInstalled() {
        assumeTrue(DeployFiles.installed("promtool"), "promtool is not installed (apt-get install prometheus); skipping the promtool checks");
    }

    @Test
    void theScrapeConfigLoads() throws Exception {
        assertPasses("check", "config", "deploy/prometheus/prometheus.yml");
    }

    @Test
    void theAlertingRulesLoad() throws Exception {
        assertPasses("check", "rules", "deploy/prometheus/alerts.yml");
    }

    @Test
    void theAlertingRulesFireOnlyWhereTheirTestsSay() throws Exception {
        assertPasses("test", "rules", "deploy/prometheus/alerts_test.yml");
    }

    private static void assertPasses(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(FILES.path(".").toFile()).redirectErrorStream(true).start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("promtool %s finished within 60 s", String.join(" ", args)).isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    }
}
