package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar quorum.jar bench … --json} against three real nodes, clients spread over every
 * node: each workload completes the operations it was asked for without an error and leaves the
 * state it should (keys of the key space written, no lock held). Counts only:
 * nothing here depends on how fast the machine is.
 */
class BenchIT {

    @RegisterExtension
    static final ProcessClusterExtension CLUSTER = new ProcessClusterExtension(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode bench(String... args) throws IOException, InterruptedException {
        String endpoints = CLUSTER.cluster().nodes().stream().map(n -> "http://127.0.0.1:" + n.httpPort())
                .collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of("java", "-jar", ProcessCluster.jar().toString(), "bench"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoints", endpoints, "--warmup", "0s", "--timeout", "20s", "--json"));
        Path out = dir.resolve("out.json");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bench did not finish within 3 minutes: " + Files.readString(err));
        }
        assertThat(process.exitValue()).as(Files.readString(err)).isZero();
        return JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
    }

    private static Http anyNode() {
        return CLUSTER.cluster().leader().http();
    }

    @Test
    void putWritesKeysOfTheKeySpaceWithTheValueSize() throws Exception {
        JsonNode run = bench("put", "--clients", "8", "--total", "300", "--key-space", "40", "--value-size", "100");

        assertThat(run.path("operations").asLong()).isEqualTo(300);
        assertThat(run.path("errors").size()).as(run.toString()).isZero();
        assertThat(run.path("latencyMs").path("p50").asDouble()).isPositive();
        JsonNode items = anyNode().get("/v1/kv/bench/?list").json().path("items");
        assertThat(items.size()).isBetween(1, 40);
        for (JsonNode item : items) {
            assertThat(item.path("key").asText()).matches("bench/000000[0-3][0-9]");
            assertThat(item.path("size").asInt()).isEqualTo(100);
        }
    }

    @Test
    void linearizableAndStaleGetsFindEveryKey() throws Exception {
        JsonNode linearizable = bench("get", "--clients", "6", "--total", "200", "--key-space", "30");
        JsonNode stale = bench("get", "--clients", "6", "--total", "200", "--key-space", "30", "--stale");

        for (JsonNode run : List.of(linearizable, stale)) {
            assertThat(run.path("operations").asLong()).isEqualTo(200);
            assertThat(run.path("errors").size()).as(run.toString()).isZero();
        }
        assertThat(stale.path("stale").asBoolean()).isTrue();
    }

    @Test
    void lockCycleLeavesNoLockHeld() throws Exception {
        JsonNode run = bench("lock-cycle", "--clients", "4", "--total", "40");

        assertThat(run.path("operations").asLong()).isEqualTo(40);
        assertThat(run.path("errors").size()).as(run.toString()).isZero();
        for (int c = 0; c < 4; c++) {
            Http.Answer lock = anyNode().get("/v1/locks/bench/lock-" + c);
            assertThat(lock.status()).isEqualTo(200);
            assertThat(lock.json().path("holders").isArray()).as(lock.toString()).isTrue();
            assertThat(lock.json().path("holders").size()).as(lock.toString()).isZero();
        }
    }

    @Test
    void lockContendedHandsTheLockOverAndWritesInside() throws Exception {
        JsonNode run = bench("lock-contended", "--clients", "4", "--total", "40");

        assertThat(run.path("operations").asLong()).isEqualTo(40);
        assertThat(run.path("errors").size()).as(run.toString()).isZero();
        assertThat(run.path("fairness").path("max").asLong()).isBetween(10L, 40L);
        Http.Answer lock = anyNode().get("/v1/locks/bench/lock");
        assertThat(lock.json().path("holders").isArray()).as(lock.toString()).isTrue();
        assertThat(lock.json().path("holders").size()).as(lock.toString()).isZero();
        Http.Answer critical = anyNode().get("/v1/kv/bench/critical");
        assertThat(critical.status()).isEqualTo(200);
        assertThat(critical.response().body()).hasSize(256);
    }
}
