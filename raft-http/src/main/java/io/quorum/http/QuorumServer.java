package io.quorum.http;

import io.quorum.metrics.QuorumMetrics;
import io.quorum.raft.tls.TlsEngine;
import io.quorum.server.CoordinationService;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import io.quorum.server.TlsSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Quorum node: its Vert.x instance, its coordination service (Raft node, storage,
 * transport, replica) and its HTTP API. Used by {@code quorum server} and by in-JVM tests.
 */
public final class QuorumServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QuorumServer.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    /** A hand-over takes a round trip or two; past this the cluster elects a leader the usual way. */
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(3);

    private final Vertx vertx;
    private final CoordinationService service;
    private final QuorumVerticle verticle;
    private final String deploymentId;
    private final Duration drainTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    private QuorumServer(Vertx vertx, CoordinationService service, QuorumVerticle verticle, String deploymentId,
                         Duration drainTimeout) {
        this.vertx = vertx;
        this.service = service;
        this.verticle = verticle;
        this.deploymentId = deploymentId;
        this.drainTimeout = drainTimeout;
    }

    /**
     * Opens the data dir, starts the Raft node and serves the API; returns once the API listens.
     * Blocks the calling thread (not for an event loop).
     *
     * @throws Exception when the data dir, an address or the node cannot be opened; nothing is left running
     */
    public static QuorumServer start(ServerSettings settings, Duration drainTimeout) throws Exception {
        // Certificate files are checked before the data dir is opened or anything listens.
        TlsSettings.Loaded tls = settings.tls().load();
        QuorumMetrics metrics = new QuorumMetrics();
        Vertx vertx = metrics.newVertx();
        CoordinationService service = null;
        try {
            service = CoordinationService.open(settings, tls.peer(), vertx, metrics);
            service.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            QuorumVerticle verticle = new QuorumVerticle(service, settings, tls.http(), drainTimeout);
            String id = await(vertx.deployVerticle(verticle), START_TIMEOUT_SECONDS);
            service.advertiseHttpAddr(new HostPort(settings.httpAddr().host(), verticle.actualPort()).toString());
            if (tls.http() != null || tls.peer() != null) {
                LOG.info("node {} speaks TLS with {}", settings.id(), TlsEngine.describe());
            }
            LOG.info("node {} serves {} on {}:{}, Raft{} on {} (listening on {}), data in {}", settings.id(),
                    tls.http() == null ? "HTTP" : settings.tls().clientCertAuth() ? "HTTPS with client certificates" : "HTTPS",
                    settings.httpAddr().host(), verticle.actualPort(), tls.peer() == null ? "" : " with mutual TLS",
                    settings.raftAddr(), settings.raftListenAddr(), settings.dataDir());
            return new QuorumServer(vertx, service, verticle, id, drainTimeout);
        } catch (Exception | Error e) {
            if (service != null) {
                service.close();
            } else {
                metrics.close();
            }
            vertx.close();
            throw e;
        }
    }

    public int httpPort() {
        return verticle.actualPort();
    }

    public CoordinationService service() {
        return service;
    }

    /**
     * Stops accepting requests, lets in-flight ones finish up to the drain timeout, hands
     * leadership to the most caught-up voter when this node leads, then stops the node (which
     * flushes nothing more: every acknowledged write is already durable) and Vert.x.
     * Closing again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        try {
            await(vertx.undeploy(deploymentId), drainTimeout.toSeconds() + 5);
        } catch (Exception e) {
            LOG.warn("stopping the HTTP API did not finish cleanly", e);
        }
        long httpStopped = System.nanoTime();
        service.handOverLeadership(HANDOVER_TIMEOUT)
                .ifPresent(successor -> LOG.info("node {} handed leadership to {}", service.nodeId(), successor));
        service.close();
        try {
            await(vertx.close(), 10);
        } catch (Exception e) {
            LOG.warn("closing Vert.x did not finish cleanly", e);
        }
        LOG.info("node {} stopped: HTTP drained in {} ms, node and Vert.x closed in {} ms", service.nodeId(),
                (httpStopped - start) / 1_000_000, (System.nanoTime() - httpStopped) / 1_000_000);
    }

    private static <T> T await(Future<T> future, long seconds) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }
}
