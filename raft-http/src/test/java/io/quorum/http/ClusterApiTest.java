package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API on a 3-node cluster in this JVM: any node answers any request. */
class ClusterApiTest {

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

    @Test
    void writesThroughEveryNodeAreReadThroughEveryNode() {
        for (int writer = 0; writer < cluster.size(); writer++) {
            String key = "/v1/kv/every/w" + writer;
            Api.Answer written = cluster.api(writer).put(key, "from " + writer);
            assertThat(written.status()).as(written.toString()).isEqualTo(200);
            for (int reader = 0; reader < cluster.size(); reader++) {
                Api.Answer read = cluster.api(reader).get(key);
                assertThat(read.status()).as("node %d reads %s", reader, key).isEqualTo(200);
                assertThat(read.text()).isEqualTo("from " + writer);
            }
        }
    }

    @Test
    void aFollowerReadsItsOwnAndOthersLatestWriteLinearizably() {
        int follower = cluster.aFollower();
        int leader = cluster.awaitLeader();
        for (int i = 1; i <= 20; i++) {
            // Written through the leader, read at once from a follower: ReadIndex makes it see the write.
            assertThat(cluster.api(leader).put("/v1/kv/linear", Integer.toString(i)).status()).isEqualTo(200);
            assertThat(cluster.api(follower).get("/v1/kv/linear").text()).isEqualTo(Integer.toString(i));
        }
        long version = cluster.api(follower).get("/v1/kv/linear", "Accept", "application/json").json().get("version").asLong();
        assertThat(version).isEqualTo(20);
    }

    @Test
    void aWatchThroughAFollowerSeesAPutMadeThroughAnotherNode() {
        int follower = cluster.aFollower();
        int writer = (follower + 1) % cluster.size();
        long start = WatchApiTest.currentIndex(cluster.api(follower));
        CompletableFuture<Api.Answer> watch = CompletableFuture.supplyAsync(
                () -> cluster.api(follower).get("/v1/watch/watched/?index=" + start + "&wait=10s"));

        assertThat(cluster.api(writer).put("/v1/kv/watched/k", "v").status()).isEqualTo(200);

        Api.Answer answer = watch.join();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(WatchApiTest.describe(answer.json())).containsExactly("put watched/k");
    }

    @Test
    void compareAndSetThroughAFollower() {
        Api follower = cluster.api(cluster.aFollower());
        assertThat(follower.put("/v1/kv/cas-f", "1", "If-None-Match", "*").status()).isEqualTo(200);
        assertThat(follower.put("/v1/kv/cas-f", "2", "If-None-Match", "*").status()).isEqualTo(412);
        assertThat(follower.put("/v1/kv/cas-f", "2", "If-Match", "1").status()).isEqualTo(200);
        Api.Answer stale = follower.put("/v1/kv/cas-f", "3", "If-Match", "1");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.errorCode()).isEqualTo("VERSION_MISMATCH");
    }

    @Test
    void ephemeralKeysGoWhenTheirSessionClosesWhicheverNodeIsAsked() {
        Api opener = cluster.api(cluster.aFollower());
        long session = opener.post("/v1/sessions", "{\"ttl\":\"30s\"}").json().get("id").asLong();
        Api other = cluster.api((cluster.aFollower() + 1) % cluster.size());
        // The session was just opened through another node: this one may not have applied it yet.
        assertThat(other.put("/v1/kv/registry/a?session=" + session + "&ephemeral=true", "a").status()).isEqualTo(200);
        assertThat(other.post("/v1/sessions/" + session + "/keepalive", null).status()).isEqualTo(200);
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(cluster.api(i).get("/v1/kv/registry/a").status()).isEqualTo(200);
        }
        assertThat(opener.delete("/v1/sessions/" + session).status()).isEqualTo(200);
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(cluster.api(i).get("/v1/kv/registry/a").status()).isEqualTo(404);
            assertThat(cluster.api(i).get("/v1/sessions/" + session).errorCode()).isEqualTo("SESSION_NOT_FOUND");
        }
    }

    @Test
    void listingIsTheSameFromEveryNode() {
        Api leader = cluster.api(cluster.awaitLeader());
        for (String key : new String[] {"dir/x", "dir/y", "dir/sub/z"}) {
            leader.put("/v1/kv/" + key, key);
        }
        for (int i = 0; i < cluster.size(); i++) {
            JsonNode page = cluster.api(i).get("/v1/kv/dir/?list&delimiter=/").json();
            assertThat(page.get("items").findValuesAsText("key")).containsExactly("dir/sub/", "dir/x", "dir/y");
        }
    }

    @Test
    void everyNodeReportsTheSameLeaderAndThreeVoters() {
        Set<String> leaders = new HashSet<>();
        for (int i = 0; i < cluster.size(); i++) {
            Api.Answer answer = cluster.api(i).get("/v1/cluster");
            JsonNode c = answer.json();
            leaders.add(c.get("leader").asText());
            assertThat(answer.header("X-Quorum-Leader")).isEqualTo(c.get("leader").asText());
            assertThat(c.get("members").findValuesAsText("id")).containsExactly("n1", "n2", "n3");
            assertThat(c.get("members").findValuesAsText("role")).containsOnlyOnce("leader");
            assertThat(cluster.api(i).get("/ready").status()).isEqualTo(200);
        }
        assertThat(leaders).hasSize(1);
    }

    @Test
    void lockContentionThroughEveryNodeIsFifoWithIncreasingTokensAndFencing() {
        Api leader = cluster.api(cluster.awaitLeader());
        Api follower = cluster.api(cluster.aFollower());
        long a = Locks.openSession(leader);
        long b = Locks.openSession(follower);
        long c = Locks.openSession(leader);
        long first = Locks.granted(Locks.acquire(leader, "cl/lock", a, "exclusive", "0s"));
        var second = Locks.queue(follower, "cl/lock", b, "exclusive");
        var third = Locks.queue(leader, "cl/lock", c, "exclusive");

        assertThat(Locks.release(leader, "cl/lock", a).json().get("released").asBoolean()).isTrue();
        long secondToken = Locks.granted(Locks.done(second));
        assertThat(secondToken).isGreaterThan(first);
        Api.Answer stale = follower.put("/v1/kv/cl/fenced", "x", "X-Quorum-Fence", "cl/lock;" + first);
        assertThat(stale.errorCode()).as(stale.toString()).isEqualTo("FENCED");
        assertThat(follower.put("/v1/kv/cl/fenced", "y", "X-Quorum-Fence", "cl/lock;" + secondToken).status()).isEqualTo(200);
        assertThat(follower.get("/v1/locks/cl/lock/check?token=" + secondToken).status()).isEqualTo(200);

        assertThat(Locks.release(follower, "cl/lock", b).json().get("released").asBoolean()).isTrue();
        assertThat(Locks.granted(Locks.done(third))).isGreaterThan(secondToken);
    }
}
