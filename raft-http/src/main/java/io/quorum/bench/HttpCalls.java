package io.quorum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorum.raft.tls.TlsEngine;
import io.quorum.raft.tls.TlsMaterial;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 requests for Quorum's target over Vert.x's client: keep-alive connections in a pool of
 * {@code connections} spread over the endpoints, client {@code c} talking to endpoint
 * {@code c % endpoints}. Vert.x rather than the JDK's HttpClient that {@code QuorumClient} uses:
 * measured on a 3-node Quorum on loopback, 64 clients writing for 15 s (2 shared cores), the JDK
 * client spent 1.9-3.7 ms of client CPU per request and reached 220-410 writes/s, Vert.x's pooled
 * client 0.2-0.9 ms and 520-1,720 writes/s: on a machine where client and servers share the CPU,
 * the heavier client would measure itself rather than the servers.
 *
 * <p>An {@code https} endpoint is spoken to over TLS with the CA and client certificate of
 * {@code --cacert --cert --key} (the JVM's trust store when no CA is given); the server's
 * certificate must name the endpoint's host (IP or DNS SAN), as for every HTTPS client of Quorum.
 * Connections are kept alive, so a run pays for the handshakes once, when the pool fills.
 */
final class HttpCalls implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpClientAgent http;
    private final List<URI> endpoints;
    /** One event loop per endpoint: every request to an endpoint, and so its connections, live there. */
    private final List<Context> contexts;
    private final long timeoutMs;

    /** @param tls the CA and client certificate for https endpoints; null for the JVM's trust store and none */
    HttpCalls(List<String> endpoints, int connections, Duration timeout, TlsMaterial tls) {
        this.endpoints = endpoints.stream().map(HttpCalls::uri).toList();
        int perEndpoint = Math.max(1, (connections + this.endpoints.size() - 1) / this.endpoints.size());
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true);
        options.setSslEngineOptions(TlsEngine.preferred());
        if (tls != null && tls.hasTrustedCa()) {
            options.setTrustOptions(tls.trustOptions());
        }
        if (tls != null && tls.hasCertificate()) {
            options.setKeyCertOptions(tls.keyCertOptions());
        }
        this.vertx = Vertx.vertx();
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(perEndpoint).setMaxWaitQueueSize(-1));
        this.contexts = this.endpoints.stream().map(e -> vertx.getOrCreateContext()).toList();
        this.timeoutMs = timeout.toMillis();
    }

    private static URI uri(String endpoint) {
        URI uri = URI.create(endpoint.strip());
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getPort() < 0) {
            throw new IllegalArgumentException("not an http://host:port or https://host:port endpoint: " + endpoint);
        }
        return uri;
    }

    Vertx vertx() {
        return vertx;
    }

    /**
     * One request; completes with the body when the status is 2xx, else fails with a
     * {@link BenchFailure} of kind {@code http <status> <code>} (the code from Quorum's error body
     * when there is one).
     */
    CompletableFuture<Buffer> call(int client, HttpMethod method, String path, Buffer body) {
        int index = Math.floorMod(client, endpoints.size());
        Context context = contexts.get(index);
        if (Vertx.currentContext() == context) {
            return send(endpoints.get(index), method, path, body);
        }
        // Requests to one endpoint are made from its own event loop only. Made from whichever
        // thread completed the previous answer, a request now and then was never sent while every
        // connection of the pool sat idle (neither its connect nor its idle timeout fired): on a
        // loaded machine, 2 runs in 33 of `bench get` (200 gets) lost one; confined, 0 in 100.
        CompletableFuture<Buffer> answer = new CompletableFuture<>();
        context.runOnContext(v -> send(endpoints.get(index), method, path, body).whenComplete((bytes, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(bytes);
            }
        }));
        return answer;
    }

    private CompletableFuture<Buffer> send(URI endpoint, HttpMethod method, String path, Buffer body) {
        RequestOptions request = new RequestOptions().setMethod(method).setHost(endpoint.getHost())
                .setPort(endpoint.getPort()).setSsl("https".equals(endpoint.getScheme())).setURI(path)
                .setTimeout(timeoutMs);
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        return http.request(request)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(bytes -> {
                    if (resp.statusCode() / 100 != 2) {
                        throw new BenchFailure("http " + resp.statusCode() + errorCode(bytes), bytes.toString());
                    }
                    return bytes;
                }))
                .toCompletionStage().toCompletableFuture();
    }

    /** {@code " OVERLOADED"} from Quorum's {@code {"error":{"code":…}}}. */
    private static String errorCode(Buffer body) {
        try {
            JsonNode error = JSON.readTree(body.getBytes());
            if (error.path("error").has("code")) {
                return " " + error.path("error").path("code").asText();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the status alone names the kind
        }
        return "";
    }

    static JsonNode json(Buffer body) {
        try {
            return JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw new BenchFailure("bad answer", e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().join();
    }
}
