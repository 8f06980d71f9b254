package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on a 3-node cluster: one leader, per-node proposals, lock timings alike everywhere. */
class MetricsClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path data;
    static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3, data);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<PrometheusPage> scrapeAll() {
        List<PrometheusPage> pages = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            pages.add(PrometheusPage.scrape(cluster.api(i)));
        }
        return pages;
    }

    @Test
    void exactlyTheLeaderReportsLeadingAndEveryNodeSawALeaderChange() {
        int leader = cluster.awaitLeader();
        Await.until("one leader on the pages", WAIT, () -> scrapeAll().stream().mapToDouble(p -> p.sum("quorum_raft_is_leader")).sum() == 1);
        List<PrometheusPage> pages = scrapeAll();
        assertThat(pages.get(leader).sum("quorum_raft_is_leader")).isEqualTo(1);
        assertThat(pages).allSatisfy(p -> assertThat(p.sum("quorum_raft_leader_changes_total")).isGreaterThanOrEqualTo(1));
    }

    @Test
    void aProposalIsCountedOnTheNodeThatMadeIt() {
        int follower = cluster.aFollower();
        PrometheusPage before = PrometheusPage.scrape(cluster.api(follower));
        assertThat(cluster.api(follower).put("/v1/kv/metrics/from-follower", "x").status()).isEqualTo(200);
        PrometheusPage after = PrometheusPage.scrape(cluster.api(follower));
        assertThat(after.sum("quorum_raft_proposals_total", "result", "committed"))
                .isEqualTo(before.sum("quorum_raft_proposals_total", "result", "committed") + 1);
        assertThat(after.sum("quorum_raft_commit_latency_seconds_count"))
                .isEqualTo(before.sum("quorum_raft_commit_latency_seconds_count") + 1);
    }

    @Test
    void everyNodeMeasuresTheSameLockWaitsAndHolds() {
        int leader = cluster.awaitLeader();
        Api api = cluster.api(leader);
        long holder = Locks.openSession(api);
        long waiter = Locks.openSession(api);
        Locks.granted(Locks.acquire(api, "metrics/shared-view", holder, "exclusive", "0s"));
        CompletableFuture<Api.Answer> queued = Locks.queue(api, "metrics/shared-view", waiter, "exclusive");
        assertThat(Locks.release(api, "metrics/shared-view", holder).status()).isEqualTo(200);
        Locks.granted(Locks.done(queued));
        assertThat(Locks.release(api, "metrics/shared-view", waiter).status()).isEqualTo(200);

        double holds = PrometheusPage.scrape(api).sum("quorum_lock_hold_seconds_count");
        assertThat(holds).isGreaterThanOrEqualTo(2);
        Await.until("every node applied the releases", WAIT,
                () -> scrapeAll().stream().allMatch(p -> p.sum("quorum_lock_hold_seconds_count") == holds));
        List<PrometheusPage> pages = scrapeAll();
        for (String series : List.of("quorum_lock_hold_seconds_sum", "quorum_lock_wait_seconds_sum", "quorum_lock_wait_seconds_count")) {
            assertThat(pages).as(series).allSatisfy(p -> assertThat(p.sum(series)).isEqualTo(pages.get(leader).sum(series)));
        }
        assertThat(pages.get(leader).sum("quorum_lock_wait_seconds_count")).isGreaterThanOrEqualTo(1);
    }
}
