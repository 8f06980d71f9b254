package io.quorum.http;

import io.quorum.raft.testing.Await;
import static io.quorum.http.Locks.acquire;
import static io.quorum.http.Locks.done;
import static io.quorum.http.Locks.granted;
import static io.quorum.http.Locks.openSession;
import static io.quorum.http.Locks.queue;
import static io.quorum.http.Locks.release;
import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code /v1/locks} on a single node (API.md, "Locks"). */
class LockApiTest extends SingleNodeFixture {

    @Test
    void acquireInspectReleaseAndReacquireWithTheSameToken() {
        long s = openSession(api);
        long token = granted(acquire(api, "l/basic", s, "exclusive", "0s"));
        assertThat(granted(acquire(api, "l/basic", s, "exclusive", "0s"))).as("idempotent re-acquire").isEqualTo(token);

        JsonNode lock = api.get("/v1/locks/l/basic").json();
        assertThat(lock.get("key").asText()).isEqualTo("l/basic");
        assertThat(lock.get("mode").asText()).isEqualTo("exclusive");
        assertThat(lock.get("holders").get(0).get("session").asLong()).isEqualTo(s);
        assertThat(lock.get("holders").get(0).get("token").asLong()).isEqualTo(token);
        assertThat(api.get("/v1/locks/l/basic?consistency=stale").json().get("holders").size()).isEqualTo(1);

        assertThat(release(api, "l/basic", s).json().get("released").asBoolean()).isTrue();
        assertThat(release(api, "l/basic", s).json().get("released").asBoolean()).isFalse();
        assertThat(api.get("/v1/locks/l/basic").json().get("holders").size()).isZero();
    }

    @Test
    void contendedRequestsAreGrantedInArrivalOrderWithIncreasingTokens() {
        long a = openSession(api);
        long b = openSession(api);
        long c = openSession(api);
        long first = granted(acquire(api, "l/fifo", a, "exclusive", "0s"));
        CompletableFuture<Api.Answer> second = queue(api, "l/fifo", b, "exclusive");
        CompletableFuture<Api.Answer> third = queue(api, "l/fifo", c, "exclusive");

        release(api, "l/fifo", a);
        long secondToken = granted(done(second));
        assertThat(secondToken).isGreaterThan(first);
        assertThat(third).isNotDone();
        release(api, "l/fifo", b);
        Api.Answer thirdAnswer = done(third);
        assertThat(thirdAnswer.json().get("session").asLong()).isEqualTo(c);
        assertThat(granted(thirdAnswer)).isGreaterThan(secondToken);
    }

    @Test
    void sharedHoldersCoexistAndAnExclusiveRequestWaitsForAllOfThem() {
        long a = openSession(api);
        long b = openSession(api);
        long c = openSession(api);
        granted(acquire(api, "l/shared", a, "shared", "0s"));
        granted(acquire(api, "l/shared", b, "shared", "0s"));
        assertThat(api.get("/v1/locks/l/shared").json().get("holders").size()).isEqualTo(2);
        CompletableFuture<Api.Answer> exclusive = queue(api, "l/shared", c, "exclusive");

        release(api, "l/shared", a);
        assertThat(api.get("/v1/locks/l/shared").json().get("holders").size()).isEqualTo(1);
        assertThat(exclusive).isNotDone();
        release(api, "l/shared", b);
        assertThat(done(exclusive).json().get("mode").asText()).isEqualTo("exclusive");
    }

    @Test
    void aWaiterWhoseSessionClosesGetsSessionNotFound() {
        long a = openSession(api);
        long b = openSession(api);
        granted(acquire(api, "l/closed", a, "exclusive", "0s"));
        CompletableFuture<Api.Answer> waiting = queue(api, "l/closed", b, "exclusive");

        assertThat(api.delete("/v1/sessions/" + b).status()).isEqualTo(200);
        Api.Answer answer = done(waiting);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.errorCode()).isEqualTo("SESSION_NOT_FOUND");
    }

    @Test
    void aWaitThatRunsOutIsLockHeldWithTheHolders() {
        long a = openSession(api);
        long b = openSession(api);
        long token = granted(acquire(api, "l/timeout", a, "exclusive", "0s"));

        Api.Answer busy = acquire(api, "l/timeout", b, "exclusive", "0s");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.errorCode()).isEqualTo("LOCK_HELD");
        Api.Answer timedOut = acquire(api, "l/timeout", b, "exclusive", "300ms");
        assertThat(timedOut.status()).as(timedOut.toString()).isEqualTo(409);
        assertThat(timedOut.errorCode()).isEqualTo("LOCK_HELD");
        assertThat(timedOut.json().path("error").path("holders").get(0).get("token").asLong()).isEqualTo(token);
        assertThat(Locks.waiters(api, "l/timeout")).isZero();
    }

    @Test
    void fencedWritesAndTheCheckEndpointFollowTheCurrentGrant() {
        long a = openSession(api);
        long b = openSession(api);
        api.put("/v1/kv/l/fenced", "v0");
        long stale = granted(acquire(api, "l/fenced", a, "exclusive", "0s"));
        assertThat(api.put("/v1/kv/l/fenced", "v1", "X-Quorum-Fence", "l/fenced;" + stale).status()).isEqualTo(200);
        assertThat(api.get("/v1/locks/l/fenced/check?token=" + stale).json().get("valid").asBoolean()).isTrue();
        JsonNode kvLock = api.get("/v1/kv/l/fenced", "Accept", "application/json").json().get("lock");
        assertThat(kvLock.get("holders").get(0).get("token").asLong()).isEqualTo(stale);

        release(api, "l/fenced", a);
        long current = granted(acquire(api, "l/fenced", b, "exclusive", "0s"));
        assertThat(current).isGreaterThan(stale);
        Api.Answer refused = api.put("/v1/kv/l/fenced", "v2", "X-Quorum-Fence", "l/fenced;" + stale);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("FENCED");
        Api.Answer staleCheck = api.get("/v1/locks/l/fenced/check?token=" + stale);
        assertThat(staleCheck.status()).isEqualTo(409);
        assertThat(staleCheck.errorCode()).isEqualTo("FENCED");
        assertThat(api.get("/v1/locks/l/fenced/check?token=" + current).status()).isEqualTo(200);
        assertThat(api.put("/v1/kv/l/fenced", "v3", "X-Quorum-Fence", "l/fenced;" + current).status()).isEqualTo(200);
        assertThat(api.get("/v1/kv/l/fenced").text()).isEqualTo("v3");
    }

    @Test
    void aWaiterWhoseClientDisconnectsLeavesTheQueue() throws Exception {
        long a = openSession(api);
        long b = openSession(api);
        granted(acquire(api, "l/gone", a, "exclusive", "0s"));
        HttpClient impatient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.server(0).httpPort() + "/v1/locks/l/gone"))
                .timeout(Duration.ofMillis(500))
                .POST(HttpRequest.BodyPublishers.ofString("{\"session\":" + b + ",\"wait\":\"1h\"}")).build();
        assertThatThrownBy(() -> impatient.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        Await.until("the abandoned request leaves the queue", Duration.ofSeconds(5), () -> Locks.waiters(api, "l/gone") == 0);
        assertThat(api.get("/v1/locks/l/gone").json().get("holders").get(0).get("session").asLong()).isEqualTo(a);
    }
}
