package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing a 3-node cluster over HTTP, every request sent to a follower: a 4th server started for
 * the cluster (its {@code --members} do not name it) waits to be added, is added as a learner,
 * promoted, serves reads, is removed again; then leadership moves to the chosen node.
 */
class MembershipApiTest {

    @TempDir
    Path data;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJoiningNodeIsAddedThroughAFollowerServesThenIsRemovedAndLeadershipMoves() throws Exception {
        cluster = TestCluster.start(3, data);
        TestCluster.Joined n4 = cluster.join("n4");
        Api joiner = cluster.api(n4.index());

        // Started for the cluster, not a cluster of its own: no configuration, no leader, not ready.
        JsonNode alone = joiner.get("/v1/cluster").json();
        assertThat(alone.get("members")).isEmpty();
        assertThat(alone.get("leader").isNull()).isTrue();
        assertThat(joiner.get("/ready").status()).isEqualTo(503);

        int follower = originalFollower(-1);
        Api.Answer added = settle(() -> cluster.api(originalFollower(-1)).post("/v1/cluster/members",
                "{\"id\":\"n4\",\"raftAddr\":\"" + n4.raftAddr() + "\"}"), () -> isMember("n4"));
        if (added != null) {
            assertThat(added.json().get("id").asText()).isEqualTo("n4");
            assertThat(added.json().get("raftAddr").asText()).isEqualTo(n4.raftAddr());
            assertThat(added.json().get("index").asLong()).isPositive();
        }

        Await.until("n4 shown as a caught-up voter", Duration.ofSeconds(20), () -> {
            JsonNode member = memberOf(cluster.api(originalFollower(-1)).get("/v1/cluster").json(), "n4");
            return member != null && member.get("voter").asBoolean() && member.get("role").asText().equals("follower")
                    && member.get("raftAddr").asText().equals(n4.raftAddr());
        });
        assertThat(cluster.api(follower).put("/v1/kv/joined/k", "written after n4 joined").status()).isEqualTo(200);
        Api.Answer read = joiner.get("/v1/kv/joined/k");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.text()).isEqualTo("written after n4 joined");

        Api.Answer removed = settle(() -> cluster.api(originalFollower(-1)).delete("/v1/cluster/members/n4"),
                () -> !isMember("n4"));
        if (removed != null) {
            assertThat(removed.json().get("removed").asText()).isEqualTo("n4");
            assertThat(removed.json().get("index").asLong()).isPositive();
        }
        Await.until("n4 gone from every original member's view", Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 3; i++) {
                if (memberOf(cluster.api(i).get("/v1/cluster").json(), "n4") != null) {
                    return false;
                }
            }
            return true;
        });
        cluster.stop(n4.index());

        int asker = originalFollower(-1);
        int target = originalFollower(asker);
        String targetId = "n" + (target + 1);
        Api.Answer moved = settle(() -> cluster.api(asker).post("/v1/cluster/leader", "{\"to\":\"" + targetId + "\"}"),
                () -> cluster.server(target).service().status().role() == Role.LEADER);
        if (moved != null) {
            assertThat(moved.json().get("leader").asText()).isEqualTo(targetId);
            assertThat(moved.json().get("term").asLong()).isPositive();
        }
        Await.until(targetId + " leads", Duration.ofSeconds(10),
                () -> cluster.server(target).service().status().role() == Role.LEADER);
        assertThat(cluster.api(asker).put("/v1/kv/joined/after", "v").status()).isEqualTo(200);
    }

    /**
     * Sends {@code request} until it answers 200 (returned) or {@code done} shows its effect after
     * an answer that left the outcome open (null returned). An election on this shared machine may
     * interrupt a change: 503 and 409 CHANGE_IN_PROGRESS changed nothing and are asked again; after
     * a 504 the effect decides. Any other answer fails the test.
     */
    private static Api.Answer settle(java.util.function.Supplier<Api.Answer> request, java.util.function.BooleanSupplier done) {
        Api.Answer[] last = {null};
        Await.until("the change to take effect", Duration.ofSeconds(30), () -> {
            Api.Answer answer = request.get();
            last[0] = answer;
            if (answer.status() == 200) {
                return true;
            }
            boolean open = answer.status() == 503 || answer.status() == 504 || "CHANGE_IN_PROGRESS".equals(answer.errorCode())
                    || (answer.status() == 409 && "MEMBER_EXISTS".equals(answer.errorCode()))
                    || (answer.status() == 404 && "NOT_FOUND".equals(answer.errorCode()));
            assertThat(open).as(answer.toString()).isTrue();
            if (done.getAsBoolean()) {
                last[0] = null;
                return true;
            }
            return false;
        });
        return last[0];
    }

    /** Whether the leader's configuration names {@code id}. */
    private boolean isMember(String id) {
        for (int i = 0; i < 3; i++) {
            var s = cluster.server(i).service().status();
            if (s.role() == Role.LEADER) {
                return s.membership().contains(id);
            }
        }
        return false;
    }

    /** A follower among the three original nodes, other than {@code excluded}, that knows the leader. */
    private int originalFollower(int excluded) {
        int[] found = {-1};
        Await.until("a follower that knows the leader", Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 3; i++) {
                var s = cluster.server(i).service().status();
                if (i != excluded && s.role() == Role.FOLLOWER && s.leader() != null) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static JsonNode memberOf(JsonNode cluster, String id) {
        for (JsonNode member : cluster.get("members")) {
            if (member.get("id").asText().equals(id)) {
                return member;
            }
        }
        return null;
    }
}
