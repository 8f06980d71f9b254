package io.quorum.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Quorum over its HTTP API (API.md), plaintext or HTTPS: {@code PUT/GET /v1/kv/bench/<key>}, a session per lock
 * client, kept alive every 5 s, and {@code POST/DELETE /v1/locks/bench/<lock>} waiting in the
 * lock's queue up to the operation timeout.
 */
final class QuorumTarget implements Target {

    private static final Duration KEEPALIVE_EVERY = Duration.ofSeconds(5);

    private final HttpCalls http;
    private final Duration sessionTtl;
    private final String lockWait;

    QuorumTarget(BenchOptions options) {
        this.http = new HttpCalls(options.endpoints(), options.connections(), options.timeout(), options.tls());
        this.sessionTtl = Duration.ofSeconds(30);
        this.lockWait = options.timeout().toMillis() + "ms";
    }

    @Override
    public CompletableFuture<Void> put(int client, String key, byte[] value) {
        return http.call(client, HttpMethod.PUT, "/v1/kv/bench/" + key, Buffer.buffer(value)).thenApply(b -> null);
    }

    @Override
    public CompletableFuture<Void> get(int client, String key, boolean stale) {
        return http.call(client, HttpMethod.GET, "/v1/kv/bench/" + key + (stale ? "?consistency=stale" : ""), null)
                .thenApply(b -> null);
    }

    @Override
    public CompletableFuture<Locker> locker(int client) {
        String open = "{\"ttl\":\"" + sessionTtl.toSeconds() + "s\"}";
        return http.call(client, HttpMethod.POST, "/v1/sessions", Buffer.buffer(open))
                .thenApply(body -> new SessionLocker(client, HttpCalls.json(body).path("id").asLong()));
    }

    @Override
    public void close() {
        http.close();
    }

    private final class SessionLocker implements Locker {
        private final int client;
        private final long session;
        private final long keepAliveTimer;

        SessionLocker(int client, long session) {
            this.client = client;
            this.session = session;
            this.keepAliveTimer = http.vertx().setPeriodic(KEEPALIVE_EVERY.toMillis(), t ->
                    http.call(client, HttpMethod.POST, "/v1/sessions/" + session + "/keepalive", null));
        }

        @Override
        public CompletableFuture<Void> acquire(String lock) {
            String body = "{\"session\":" + session + ",\"mode\":\"exclusive\",\"wait\":\"" + lockWait + "\"}";
            return http.call(client, HttpMethod.POST, "/v1/locks/bench/" + lock, Buffer.buffer(body)).thenApply(b -> null);
        }

        @Override
        public CompletableFuture<Void> release(String lock) {
            return http.call(client, HttpMethod.DELETE, "/v1/locks/bench/" + lock + "?session=" + session, null)
                    .thenApply(b -> null);
        }

        @Override
        public CompletableFuture<Void> close() {
            http.vertx().cancelTimer(keepAliveTimer);
            return http.call(client, HttpMethod.DELETE, "/v1/sessions/" + session, null)
                    .handle((b, failure) -> null);
        }
    }
}
