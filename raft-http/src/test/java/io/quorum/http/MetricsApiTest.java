package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.testing.Await;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: every name of API.md ("Metrics"), how they move, and the page's format. */
class MetricsApiTest extends SingleNodeFixture {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** API.md "Metrics", as Prometheus samples (histograms by their {@code _bucket} series). */
    private static final List<String> API_NAMES = List.of(
            "quorum_raft_term", "quorum_raft_commit_index", "quorum_raft_applied_index", "quorum_raft_is_leader",
            "quorum_raft_leader_changes_total", "quorum_raft_proposals_total", "quorum_raft_commit_latency_seconds_bucket",
            "quorum_raft_fsync_seconds_bucket", "quorum_raft_append_batch_entries_bucket", "quorum_raft_snapshots_total",
            "quorum_sessions_active", "quorum_locks_held", "quorum_lock_waiters", "quorum_lock_wait_seconds_bucket",
            "quorum_lock_hold_seconds_bucket", "quorum_keys", "quorum_fenced_writes_rejected_total",
            "quorum_sessions_expired_total", "quorum_raft_frames_rejected_total");

    private static PrometheusPage scrape() {
        return PrometheusPage.scrape(api);
    }

    @Test
    void everyNameOfTheApiAppearsAndMovesWithWritesSessionsAndLocks() {
        PrometheusPage before = scrape();
        assertThat(API_NAMES).allSatisfy(name -> assertThat(before.has(name)).as(name).isTrue());
        assertThat(before.sum("quorum_raft_is_leader")).isEqualTo(1);
        assertThat(before.sum("quorum_raft_term")).isGreaterThanOrEqualTo(1);
        assertThat(before.sum("quorum_raft_leader_changes_total")).isGreaterThanOrEqualTo(1);
        double committedBefore = before.sum("quorum_raft_proposals_total", "result", "committed");
        double keysBefore = before.sum("quorum_keys");

        for (int i = 0; i < 3; i++) {
            assertThat(api.put("/v1/kv/metrics/k" + i, "v" + i).status()).isEqualTo(200);
        }
        PrometheusPage written = scrape();
        assertThat(written.sum("quorum_raft_proposals_total", "result", "committed")).isGreaterThanOrEqualTo(committedBefore + 3);
        assertThat(written.sum("quorum_keys")).isEqualTo(keysBefore + 3);
        assertThat(written.sum("quorum_raft_fsync_seconds_count")).isPositive();
        assertThat(written.sum("quorum_raft_append_batch_entries_count")).isPositive();
        assertThat(written.sum("quorum_raft_commit_latency_seconds_count")).isGreaterThanOrEqualTo(3);
        assertThat(written.sum("quorum_raft_commit_index")).isGreaterThan(before.sum("quorum_raft_commit_index"));
        Await.until("applied index published", WAIT,
                () -> scrape().sum("quorum_raft_applied_index") >= written.sum("quorum_raft_commit_index"));

        long holder = Locks.openSession(api);
        long waiter = Locks.openSession(api);
        long token = Locks.granted(Locks.acquire(api, "metrics/lock", holder, "exclusive", "0s"));
        awaitValue("quorum_locks_held", 1);
        assertThat(scrape().sum("quorum_sessions_active")).isGreaterThanOrEqualTo(2);
        CompletableFuture<Api.Answer> queued = Locks.queue(api, "metrics/lock", waiter, "exclusive");
        awaitValue("quorum_lock_waiters", 1);

        assertThat(Locks.release(api, "metrics/lock", holder).status()).isEqualTo(200);
        long secondToken = Locks.granted(Locks.done(queued));
        assertThat(secondToken).isGreaterThan(token);
        PrometheusPage granted = scrape();
        assertThat(granted.sum("quorum_lock_waiters")).isZero();
        assertThat(granted.sum("quorum_lock_wait_seconds_count")).isEqualTo(1);
        assertThat(granted.sum("quorum_lock_hold_seconds_count")).isEqualTo(1);

        Api.Answer fenced = api.put("/v1/kv/metrics/fenced", "x", "X-Quorum-Fence", "metrics/lock;" + token);
        assertThat(fenced.errorCode()).isEqualTo("FENCED");
        assertThat(scrape().sum("quorum_fenced_writes_rejected_total")).isEqualTo(1);

        assertThat(Locks.release(api, "metrics/lock", waiter).status()).isEqualTo(200);
        awaitValue("quorum_locks_held", 0);
        assertThat(scrape().sum("quorum_lock_hold_seconds_count")).isEqualTo(2);
    }

    @Test
    void anExpiredSessionIsCounted() {
        double expiredBefore = scrape().sum("quorum_sessions_expired_total");
        Api.Answer opened = api.post("/v1/sessions", "{\"ttl\":\"1s\"}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        Await.until("the session expired", WAIT, () -> scrape().sum("quorum_sessions_expired_total") > expiredBefore);
    }

    @Test
    void histogramBucketsResolveSubMillisecondFsyncsAndLockWaitsOfMinutes() {
        PrometheusPage page = scrape();
        assertThat(bounds(page, "quorum_raft_fsync_seconds_bucket")).contains(0.00005, 0.0005, 1.0);
        assertThat(bounds(page, "quorum_raft_commit_latency_seconds_bucket")).contains(0.0001, 10.0);
        assertThat(bounds(page, "quorum_lock_wait_seconds_bucket")).contains(0.001, 600.0);
        assertThat(bounds(page, "quorum_lock_hold_seconds_bucket")).contains(0.001, 600.0);
        assertThat(bounds(page, "quorum_raft_append_batch_entries_bucket")).contains(1.0, 4096.0);
    }

    private static List<Double> bounds(PrometheusPage page, String bucket) {
        return page.named(bucket).stream().map(s -> s.labels().get("le")).filter(le -> !le.equals("+Inf"))
                .map(Double::parseDouble).toList();
    }

    @Test
    void httpMetricsCarryMethodAndCodeButNoPath() {
        api.get("/v1/kv/metrics/absent");
        api.get("/health");
        PrometheusPage page = scrape();
        List<PrometheusPage.Sample> requests = page.named("vertx_http_server_requests_total");
        assertThat(requests).isNotEmpty();
        assertThat(requests).allSatisfy(s -> assertThat(s.labels()).containsKeys("method", "code")
                .doesNotContainKeys("path", "route"));
        assertThat(page.sum("vertx_http_server_requests_total", "method", "GET", "code", "404")).isGreaterThanOrEqualTo(1);
        assertThat(page.named("vertx_http_server_response_time_seconds_bucket")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.labels()).doesNotContainKeys("path", "route"));
        assertThat(page.text).doesNotContain("metrics/absent");
        // GC pause timers appear with the first collection, which a short test JVM may not have had:
        // the GC's allocation counter is there from the start.
        for (String jvm : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_memory_allocated_bytes_total",
                "jvm_threads_live_threads", "jvm_classes_loaded_classes", "system_cpus", "process_cpu_usage")) {
            assertThat(page.has(jvm)).as(jvm).isTrue();
        }
    }

    @Test
    void thePagePassesPromtoolCheckMetrics() throws Exception {
        String promtool = promtool();
        Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus): the format check is skipped");
        api.put("/v1/kv/metrics/lint", "x");
        Process check = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (var in = check.getOutputStream()) {
            in.write(scrape().text.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.exitValue()).as(output).isZero();
    }

    private static String promtool() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "promtool");
            if (candidate.canExecute()) {
                return candidate.getCanonicalPath();
            }
        }
        return null;
    }

    private static void awaitValue(String name, double value) {
        Await.until(name + " = " + value, WAIT, () -> scrape().sum(name) == value);
    }
}
