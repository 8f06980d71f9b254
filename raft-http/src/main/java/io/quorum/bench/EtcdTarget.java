package io.quorum.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * etcd over its v3 API as the gRPC gateway serves it on the client port ({@code POST /v3/kv/put},
 * {@code /v3/kv/range}, {@code /v3/lease/grant}, {@code /v3/lock/lock}, {@code /v3/lock/unlock};
 * keys and values in base64). A linearizable get is the default range, a stale one
 * {@code "serializable": true}. A lock client holds a lease that outlives the run.
 *
 * <p>Not jetcd: jetcd-core 0.8.5 brings Vert.x 4.5 (vertx-grpc, vertx-core) and gRPC's Netty 4.1,
 * which cannot share quorum.jar with Vert.x 5. The gateway is the same server code behind a
 * JSON↔gRPC translation inside etcd, which costs etcd some CPU per request: numbers from this target
 * are a lower bound of what a native gRPC client gets.
 */
final class EtcdTarget implements Target {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final HttpCalls http;
    private final long leaseTtlSeconds;

    EtcdTarget(BenchOptions options) {
        this.http = new HttpCalls(options.endpoints(), options.connections(), options.timeout());
        this.leaseTtlSeconds = options.sessionLifetime().toSeconds();
    }

    private static String b64(String text) {
        return BASE64.encodeToString(("bench/" + text).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<Void> put(int client, String key, byte[] value) {
        String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + BASE64.encodeToString(value) + "\"}";
        return http.call(client, HttpMethod.POST, "/v3/kv/put", Buffer.buffer(body)).thenApply(b -> null);
    }

    @Override
    public CompletableFuture<Void> get(int client, String key, boolean stale) {
        String body = "{\"key\":\"" + b64(key) + "\"" + (stale ? ",\"serializable\":true" : "") + "}";
        return http.call(client, HttpMethod.POST, "/v3/kv/range", Buffer.buffer(body)).thenApply(answer -> {
            if (!HttpCalls.json(answer).has("kvs")) {
                throw new BenchFailure("not found", key);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Locker> locker(int client) {
        String body = "{\"TTL\":" + leaseTtlSeconds + "}";
        return http.call(client, HttpMethod.POST, "/v3/lease/grant", Buffer.buffer(body))
                .thenApply(answer -> new LeaseLocker(client, HttpCalls.json(answer).path("ID").asText()));
    }

    @Override
    public void close() {
        http.close();
    }

    private final class LeaseLocker implements Locker {
        private final int client;
        private final String lease;
        /** The key etcd made for the held lock; acquire and release alternate, so one is enough. */
        private volatile String ownerKey;

        LeaseLocker(int client, String lease) {
            this.client = client;
            this.lease = lease;
        }

        @Override
        public CompletableFuture<Void> acquire(String lock) {
            String body = "{\"name\":\"" + b64(lock) + "\",\"lease\":\"" + lease + "\"}";
            return http.call(client, HttpMethod.POST, "/v3/lock/lock", Buffer.buffer(body)).thenApply(answer -> {
                ownerKey = HttpCalls.json(answer).path("key").asText();
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> release(String lock) {
            String body = "{\"key\":\"" + ownerKey + "\"}";
            return http.call(client, HttpMethod.POST, "/v3/lock/unlock", Buffer.buffer(body)).thenApply(b -> null);
        }

        @Override
        public CompletableFuture<Void> close() {
            return http.call(client, HttpMethod.POST, "/v3/lease/revoke", Buffer.buffer("{\"ID\":\"" + lease + "\"}"))
                    .handle((b, failure) -> null);
        }
    }
}
