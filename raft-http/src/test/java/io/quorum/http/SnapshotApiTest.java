package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorum.raft.testing.Await;
import io.quorum.server.BackupFile;
import io.quorum.server.SnapshotRestore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/snapshot} from a follower of a 3-node cluster, restored into three fresh data
 * dirs ({@link SnapshotRestore}) on other Raft ports: the new cluster serves exactly the backed-up
 * state, and its new fencing tokens are above the backup's index.
 */
class SnapshotApiTest {

    @TempDir
    Path data;

    @Test
    void aBackupFromAFollowerRestoresIntoANewClusterWithEveryKeySessionAndLock() throws Exception {
        Path backupFile = data.resolve("quorum.snap");
        long backupIndex;
        long session;
        long token;
        try (TestCluster original = TestCluster.start(3, data.resolve("original"))) {
            Api leader = original.api(original.awaitLeader());
            session = Locks.openSession(leader);
            assertThat(leader.put("/v1/kv/config/a", "1").status()).isEqualTo(200);
            assertThat(leader.put("/v1/kv/members/n1?session=" + session + "&ephemeral=true", "up").status())
                    .isEqualTo(200);
            token = Locks.granted(Locks.acquire(leader, "locks/db", session, "exclusive", "0s"));
            long lastWrite = leader.put("/v1/kv/config/b", "two").json().get("modIndex").asLong();

            Api follower = original.api(original.aFollower());
            Api.Answer download = follower.get("/v1/snapshot");
            assertThat(download.status()).as(download.toString()).isEqualTo(200);
            assertThat(download.header("Content-Type")).isEqualTo("application/octet-stream");
            backupIndex = Long.parseLong(download.header("X-Quorum-Index"));
            assertThat(backupIndex).as("linearizable: the backup holds the last acknowledged write").isGreaterThanOrEqualTo(lastWrite);
            assertThat(download.header("Content-Disposition")).contains("quorum-" + backupIndex + ".snap");
            assertThat(BackupFile.decode(download.response().body()).meta().index())
                    .as("X-Quorum-Index names the index the backup reflects").isEqualTo(backupIndex);
            Files.write(backupFile, download.response().body());

            assertThat(leader.put("/v1/kv/config/after-backup", "x").status()).isEqualTo(200);
        }

        SortedMap<String, String> members = TestCluster.freeMembers(3);
        Path restoredRoot = data.resolve("restored");
        for (String id : members.keySet()) {
            SnapshotRestore.Restored restored = SnapshotRestore.restore(backupFile, restoredRoot.resolve(id), members);
            assertThat(restored.index()).isEqualTo(backupIndex);
        }
        try (TestCluster restored = TestCluster.start(members, restoredRoot)) {
            Api api = restored.api(restored.aFollower());
            assertThat(api.get("/v1/kv/config/a").text()).isEqualTo("1");
            assertThat(api.get("/v1/kv/config/b").text()).isEqualTo("two");
            assertThat(api.get("/v1/kv/config/after-backup").status()).isEqualTo(404);
            JsonNode ephemeral = api.get("/v1/kv/members/n1", "Accept", "application/json").json();
            assertThat(ephemeral.get("ephemeralOwner").asLong()).isEqualTo(session);

            assertThat(api.get("/v1/sessions/" + session).status()).isEqualTo(200);
            JsonNode lock = api.get("/v1/locks/locks/db").json();
            assertThat(lock.get("holders").get(0).get("session").asLong()).isEqualTo(session);
            assertThat(lock.get("holders").get(0).get("token").asLong()).isEqualTo(token);
            assertThat(api.get("/v1/locks/locks/db/check?token=" + token).status()).isEqualTo(200);

            long newSession = Locks.openSession(api);
            assertThat(newSession).isGreaterThan(backupIndex);
            long newToken = Locks.granted(Locks.acquire(api, "locks/other", newSession, "exclusive", "0s"));
            assertThat(newToken).as("fencing tokens only grow across a restore").isGreaterThan(backupIndex);
            assertThat(Locks.acquire(api, "locks/db", newSession, "exclusive", "0s").status())
                    .as("the restored holder still holds its lock").isEqualTo(409);

            for (int i = 0; i < restored.size(); i++) {
                awaitEveryHttpAddr(restored, i);
            }
        }
    }

    @Test
    void everyNodeReportsEveryMembersHttpAddr() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, data)) {
            for (int i = 0; i < cluster.size(); i++) {
                awaitEveryHttpAddr(cluster, i);
            }
        }
    }

    @Test
    void queryParametersAreRefused() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, data)) {
            Api.Answer answer = cluster.api(0).get("/v1/snapshot?consistency=stale");
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.errorCode()).isEqualTo("INVALID_ARGUMENT");
            assertThat(cluster.api(0).get("/v1/snapshot").status()).isEqualTo(200);
        }
    }

    /** Node {@code i}'s {@code /v1/cluster} names each member's HTTP address as the member listens on it. */
    private static void awaitEveryHttpAddr(TestCluster cluster, int i) {
        Await.until("node " + i + " reports every member's httpAddr", Duration.ofSeconds(10), () -> {
            JsonNode members = cluster.api(i).get("/v1/cluster").json().get("members");
            if (members.size() != cluster.size()) {
                return false;
            }
            for (JsonNode member : members) {
                int index = Integer.parseInt(member.get("id").asText().substring(1)) - 1;
                String expected = "127.0.0.1:" + cluster.server(index).httpPort();
                if (!expected.equals(member.path("httpAddr").asText(null))) {
                    return false;
                }
            }
            return true;
        });
    }
}
