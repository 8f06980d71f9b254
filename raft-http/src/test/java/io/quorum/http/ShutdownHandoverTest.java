package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A leader stopped cleanly hands leadership over before it goes, so the cluster never waits out an election timeout. */
class ShutdownHandoverTest {

    @TempDir
    Path data;

    @Test
    void aLeaderStoppedCleanlyLeavesANewLeaderBehindWhenItsCloseReturns() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, data)) {
            int leader = cluster.awaitLeader();
            long term = cluster.server(leader).service().status().term();
            assertThat(cluster.api(leader).put("/v1/kv/handover/before", "x").status()).isEqualTo(200);

            cluster.stop(leader);

            // No waiting: the hand-over finished inside close(). Without it the others would still
            // follow the stopped node until their election timeout.
            int leaders = 0;
            int next = -1;
            for (int i = 0; i < cluster.size(); i++) {
                if (i == leader) {
                    continue;
                }
                RaftStatus s = cluster.server(i).service().status();
                if (s.role() == Role.LEADER) {
                    leaders++;
                    next = i;
                    assertThat(s.term()).isGreaterThan(term);
                }
            }
            assertThat(leaders).as("nodes leading right after the old leader's close returned").isEqualTo(1);
            assertThat(cluster.api(next).get("/v1/kv/handover/before").status()).isEqualTo(200);
        }
    }
}
