package io.quorum.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A client of Quorum's HTTP API (API.md) over a list of endpoints, any of which may answer any
 * request. Thread-safe; one instance serves many concurrent calls.
 *
 * <p>Every method has a blocking form, and those a benchmark drives concurrently also a
 * {@code …Async} form. Failures are {@link QuorumException}s; failover and retries are those of
 * the package comment. Lookups of something absent (a key, a session) answer an empty
 * {@code Optional} instead of failing.
 */
public final class QuorumClient {

    private final Failover failover;
    private final List<URI> endpoints;

    private QuorumClient(List<URI> endpoints, ClientOptions options) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout());
        if (options.tls() != null) {
            builder.sslContext(options.tls().sslContext());
        }
        HttpClient http = builder.build();
        this.failover = new Failover(http, this.endpoints, options);
    }

    /** A client of {@code endpoints}, tried in this order at first. */
    public static QuorumClient of(List<URI> endpoints, ClientOptions options) {
        return new QuorumClient(endpoints, options);
    }

    /** A client of {@code http://127.0.0.1:7001,http://127.0.0.1:7002} with the default options. */
    public static QuorumClient of(String endpoints) {
        return of(parseEndpoints(endpoints), ClientOptions.DEFAULTS);
    }

    /**
     * {@code http://host:port,...} as URIs; {@code host:port} alone means {@code http://host:port}.
     *
     * @throws IllegalArgumentException when an endpoint is not an http(s) URL with a host
     */
    public static List<URI> parseEndpoints(String commaSeparated) {
        List<URI> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            URI uri = URI.create(text.contains("://") ? text : "http://" + text);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http endpoint: " + text);
            }
            out.add(uri);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no endpoint in '" + commaSeparated + "'");
        }
        return out;
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    /** The endpoint the next request goes to first: the one that answered last. */
    public URI preferredEndpoint() {
        return failover.preferredEndpoint();
    }

    // ---- keys ----

    public KeyWritten put(String key, byte[] value) {
        return join(putAsync(key, value, WriteOptions.NONE));
    }

    public KeyWritten put(String key, byte[] value, WriteOptions options) {
        return join(putAsync(key, value, options));
    }

    /** {@code PUT /v1/kv/{key}} with the conditions of {@code options}. */
    public CompletableFuture<KeyWritten> putAsync(String key, byte[] value, WriteOptions options) {
        String query = options.ephemeralSession() != 0 ? "?session=" + options.ephemeralSession() + "&ephemeral=true" : "";
        Request put = Request.write("PUT", "/v1/kv/" + Request.encodePath(key) + query, value,
                "Content-Type", "application/octet-stream").withHeaders(conditions(options));
        return call(put, a -> Json.read(a.bytes(), KeyWritten.class));
    }

    /** The value of {@code key} read linearizably, or empty when the key does not exist. */
    public Optional<KeyValue> get(String key) {
        return join(getAsync(key, false));
    }

    /** @param stale read this node's replica as it is, without confirming with the leader */
    public Optional<KeyValue> get(String key, boolean stale) {
        return join(getAsync(key, stale));
    }

    public CompletableFuture<Optional<KeyValue>> getAsync(String key, boolean stale) {
        Request get = Request.read("/v1/kv/" + Request.encodePath(key) + (stale ? "?consistency=stale" : ""));
        return failover.send(get).thenApply(a -> {
            if (a.status() == 404 && "NOT_FOUND".equals(a.error().code())) {
                return Optional.empty();
            }
            requireOk(a);
            return Optional.of(new KeyValue(key, a.bytes(), headerLong(a, "X-Quorum-Version"),
                    headerLong(a, "X-Quorum-Mod-Index")));
        });
    }

    public KeyDeleted delete(String key) {
        return join(deleteAsync(key, WriteOptions.NONE));
    }

    public KeyDeleted delete(String key, WriteOptions options) {
        return join(deleteAsync(key, options));
    }

    /** {@code DELETE /v1/kv/{key}}; {@code If-Match} and the fence of {@code options} apply. */
    public CompletableFuture<KeyDeleted> deleteAsync(String key, WriteOptions options) {
        Request delete = Request.write("DELETE", "/v1/kv/" + Request.encodePath(key), null)
                .withHeaders(conditions(options));
        return call(delete, a -> Json.read(a.bytes(), KeyDeleted.class));
    }

    /**
     * One page of the keys under {@code prefix} ("" for all), in key order.
     *
     * @param oneLevel fold deeper keys into one item per next-level "directory" ({@code delimiter=/})
     * @param limit at most this many items; 0 for the server's default
     * @param after start after this key (the last key of the previous page), or null
     */
    public KeyList list(String prefix, boolean oneLevel, int limit, String after) {
        StringBuilder query = new StringBuilder("?list");
        if (oneLevel) {
            query.append("&delimiter=%2F");
        }
        if (limit > 0) {
            query.append("&limit=").append(limit);
        }
        if (after != null) {
            query.append("&after=").append(Request.encodeParam(after));
        }
        return join(call(Request.read("/v1/kv/" + Request.encodePath(prefix) + query),
                a -> Json.read(a.bytes(), KeyList.class)));
    }

    /** Every key under {@code prefix}, page after page of the server's default size. */
    public List<KeyList.Item> listAll(String prefix, boolean oneLevel) {
        return listAll(prefix, oneLevel, 0);
    }

    /** Every key under {@code prefix}, in pages of {@code pageSize} (0: the server's default). */
    public List<KeyList.Item> listAll(String prefix, boolean oneLevel, int pageSize) {
        List<KeyList.Item> all = new ArrayList<>();
        String after = null;
        while (true) {
            KeyList page = list(prefix, oneLevel, pageSize, after);
            all.addAll(page.items());
            if (!page.more() || page.items().isEmpty()) {
                return all;
            }
            after = page.items().get(page.items().size() - 1).key();
        }
    }

    private static List<String> conditions(WriteOptions options) {
        List<String> headers = new ArrayList<>();
        if (options.ifMatch() != null) {
            headers.add("If-Match");
            headers.add(Long.toString(options.ifMatch()));
        }
        if (options.ifNoneMatch()) {
            headers.add("If-None-Match");
            headers.add("*");
        }
        if (options.fenceKey() != null) {
            headers.add("X-Quorum-Fence");
            headers.add(options.fenceKey() + ";" + options.fenceToken());
        }
        return headers;
    }

    // ---- sessions ----

    /** {@code POST /v1/sessions}: ttl 1s–1h. */
    public Session openSession(Duration ttl, Duration lockDelay) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ttl", ttl.toMillis());
        body.put("lockDelay", lockDelay.toMillis());
        return join(call(Request.json("POST", "/v1/sessions", Json.write(body)), a -> {
            JsonNode s = Json.tree(a.bytes());
            return new Session(s.path("id").asLong(), Json.duration(s.get("ttl")), Json.duration(s.get("lockDelay")));
        }));
    }

    public SessionRenewal keepAlive(long session) {
        return join(keepAliveAsync(session));
    }

    /** Renews {@code session} for another ttl; fails with SESSION_NOT_FOUND once it has ended. */
    public CompletableFuture<SessionRenewal> keepAliveAsync(long session) {
        return call(Request.json("POST", "/v1/sessions/" + session + "/keepalive", null), a -> {
            JsonNode s = Json.tree(a.bytes());
            return new SessionRenewal(s.path("id").asLong(), Json.duration(s.get("ttl")),
                    Duration.ofMillis(s.path("expiresInMs").asLong()));
        });
    }

    /** Ends {@code session}: its locks are released and its ephemeral keys deleted. */
    public void closeSession(long session) {
        join(call(Request.write("DELETE", "/v1/sessions/" + session, null), a -> null));
    }

    /** The session, or empty when it never existed, was closed or expired. */
    public Optional<SessionInfo> session(long session) {
        return join(failover.send(Request.read("/v1/sessions/" + session)).thenApply(a -> {
            if (a.status() == 404) {
                return Optional.empty();
            }
            requireOk(a);
            JsonNode s = Json.tree(a.bytes());
            return Optional.of(new SessionInfo(s.path("id").asLong(), Json.duration(s.get("ttl")),
                    Json.duration(s.get("lockDelay")), Duration.ofMillis(s.path("expiresInMs").asLong()),
                    Json.strings(s.get("locks")), Json.strings(s.get("waiting")), Json.strings(s.get("ephemeralKeys"))));
        }));
    }

    // ---- locks ----

    public LockGrant acquire(String key, long session, boolean shared, Duration wait) {
        return join(acquireAsync(key, session, shared, wait));
    }

    /**
     * {@code POST /v1/locks/{key}}: waits up to {@code wait} in the lock's queue; fails with
     * LOCK_HELD when not granted by then. Acquiring again with the holding session answers the same
     * token, so repeating an acquire whose outcome is unknown is safe.
     */
    public CompletableFuture<LockGrant> acquireAsync(String key, long session, boolean shared, Duration wait) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session", session);
        body.put("mode", shared ? "shared" : "exclusive");
        body.put("wait", wait.toMillis());
        Request acquire = Request.json("POST", "/v1/locks/" + Request.encodePath(key), Json.write(body)).waiting(wait);
        return call(acquire, a -> Json.read(a.bytes(), LockGrant.class));
    }

    /** True when {@code session} held the lock and released it now. */
    public boolean release(String key, long session) {
        return join(call(Request.write("DELETE", "/v1/locks/" + Request.encodePath(key) + "?session=" + session, null),
                a -> Json.tree(a.bytes()).path("released").asBoolean()));
    }

    /** The lock's holders and waiters (none when it is free). */
    public LockInfo lock(String key) {
        return join(call(Request.read("/v1/locks/" + Request.encodePath(key)), a -> Json.read(a.bytes(), LockInfo.class)));
    }

    /** Whether {@code token} is the current grant of the lock (Chubby's CheckSequencer). */
    public boolean checkToken(String key, long token) {
        return join(failover.send(Request.read("/v1/locks/" + Request.encodePath(key) + "/check?token=" + token))
                .thenApply(a -> {
                    if (a.status() == 409 && "FENCED".equals(a.error().code())) {
                        return false;
                    }
                    requireOk(a);
                    return Json.tree(a.bytes()).path("valid").asBoolean();
                }));
    }

    // ---- watches ----

    public WatchPage watch(String prefix, long afterIndex, Duration wait) {
        return join(watchAsync(prefix, afterIndex, wait));
    }

    /**
     * Long poll: the events under {@code prefix} with an index above {@code afterIndex}, waiting up
     * to {@code wait} for the first; fails with COMPACTED (410) when those events are no longer kept.
     */
    public CompletableFuture<WatchPage> watchAsync(String prefix, long afterIndex, Duration wait) {
        Request poll = Request.read("/v1/watch/" + Request.encodePath(prefix) + "?index=" + afterIndex + "&wait="
                + wait.toMillis()).waiting(wait);
        return call(poll, a -> Json.read(a.bytes(), WatchPage.class));
    }

    // ---- cluster ----

    /** {@code GET /v1/cluster} from the first node that answers. */
    public ClusterStatus cluster() {
        return join(call(Request.read("/v1/cluster"), a -> Json.read(a.bytes(), ClusterStatus.class)));
    }

    /** True when a node answers {@code GET /health}. */
    public boolean health() {
        return join(call(Request.read("/health"), a -> true));
    }

    /** True when a node answers {@code GET /ready} with 200 (it knows a leader and has applied what is committed). */
    public boolean ready() {
        try {
            return join(call(Request.read("/ready"), a -> true));
        } catch (QuorumException e) {
            if (e.status() == 503) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Writes a consistent backup of the whole state ({@code GET /v1/snapshot}) to {@code out} and
     * answers the number of bytes written. The caller owns {@code out} and closes it.
     *
     * @throws IOException when the stream breaks or {@code out} cannot be written; the bytes
     *     written so far are then not a backup
     */
    public long snapshot(OutputStream out) throws IOException {
        Failover.Answer a = join(failover.send(Request.read("/v1/snapshot").streamed()));
        requireOk(a);
        try (InputStream in = a.stream()) {
            return in.transferTo(out);
        }
    }

    // ---- plumbing ----

    private <T> CompletableFuture<T> call(Request request, Function<Failover.Answer, T> onOk) {
        return failover.send(request).thenApply(a -> {
            requireOk(a);
            return onOk.apply(a);
        });
    }

    private static void requireOk(Failover.Answer a) {
        if (a.status() < 200 || a.status() > 299) {
            throw a.error();
        }
    }

    private static long headerLong(Failover.Answer a, String name) {
        String value = a.header(name);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The future's value; its {@link QuorumException} (or other unchecked failure) rethrown as it is. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new QuorumException(QuorumException.NO_ANSWER, "INTERRUPTED", "interrupted while waiting for an answer",
                    null, false, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new QuorumException(QuorumException.NO_ANSWER, "INTERNAL", String.valueOf(cause), null, false, cause);
        }
    }
}
