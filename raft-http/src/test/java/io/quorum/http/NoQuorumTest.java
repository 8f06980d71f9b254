package io.quorum.http;

import io.quorum.raft.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that cannot reach a majority refuses honestly: a write ends 503 with Retry-After (known
 * not applied) or 504 (outcome unknown, when it went to a leader that vanished); a linearizable
 * read ends 503; a stale read still answers; /ready says 503 while /health says 200.
 */
class NoQuorumTest {

    @TempDir
    Path data;

    @Test
    void aNodeWithoutAMajorityRefusesWritesAndLinearizableReads() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, data)) {
            int survivor = cluster.aFollower();
            Api api = cluster.api(survivor);
            assertThat(api.put("/v1/kv/before", "v").status()).isEqualTo(200);
            Await.until("the write to reach the survivor", Duration.ofSeconds(5),
                    () -> api.get("/v1/kv/before?consistency=stale").status() == 200);
            for (int i = 0; i < cluster.size(); i++) {
                if (i != survivor) {
                    cluster.stop(i);
                }
            }

            Api.Answer write = api.put("/v1/kv/after", "v");
            assertThat(write.status()).as(write.toString()).isIn(503, 504);
            if (write.status() == 503) {
                assertThat(write.errorCode()).isIn("NO_LEADER", "UNAVAILABLE");
                assertThat(write.header("Retry-After")).isNotNull();
            } else {
                assertThat(write.errorCode()).isEqualTo("TIMEOUT");
            }

            Api.Answer read = api.get("/v1/kv/before");
            assertThat(read.status()).as(read.toString()).isEqualTo(503);
            assertThat(read.header("Retry-After")).isNotNull();

            assertThat(api.get("/v1/kv/before?consistency=stale").text()).isEqualTo("v");
            Await.until("the survivor to stop claiming readiness", Duration.ofSeconds(5),
                    () -> api.get("/ready").status() == 503);
            assertThat(api.get("/health").status()).isEqualTo(200);
        }
    }
}
