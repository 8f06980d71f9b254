package io.quorum.http;

import io.quorum.raft.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Lock requests for the API tests: sessions, acquires (waiting ones in the background), inspection. */
final class Locks {

    private Locks() {}

    static long openSession(Api api) {
        Api.Answer opened = api.post("/v1/sessions", "{\"ttl\":\"30s\"}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        return opened.json().get("id").asLong();
    }

    static Api.Answer acquire(Api api, String key, long session, String mode, String wait) {
        return api.post("/v1/locks/" + key, "{\"session\":" + session + ",\"mode\":\"" + mode + "\",\"wait\":\"" + wait + "\"}");
    }

    static long granted(Api.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().get("token").asLong();
    }

    /** An acquire that waits up to 10s, sent in the background once the queue has {@code queuedBefore} waiters. */
    static CompletableFuture<Api.Answer> queue(Api api, String key, long session, String mode) {
        int before = waiters(api, key);
        CompletableFuture<Api.Answer> answer = CompletableFuture.supplyAsync(() -> acquire(api, key, session, mode, "10s"));
        Await.until(session + " queued for " + key, Duration.ofSeconds(5), () -> waiters(api, key) > before || answer.isDone());
        assertThat(answer).as("still waiting").isNotDone();
        return answer;
    }

    static int waiters(Api api, String key) {
        return api.get("/v1/locks/" + key).json().get("waiters").size();
    }

    static Api.Answer release(Api api, String key, long session) {
        return api.delete("/v1/locks/" + key + "?session=" + session);
    }

    static Api.Answer done(CompletableFuture<Api.Answer> answer) {
        return answer.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }
}
