package io.quorum.http;

import io.quorum.server.CoordinationService;
import io.quorum.server.ServerSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.quorum.raft.tls.CertificateReloader;
import io.quorum.raft.tls.TlsEngine;
import io.quorum.raft.tls.TlsMaterial;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API of one node (API.md). All routes are declared in {@link #routes()}, each bound to
 * a named handler method; handlers validate first ({@link RequestParams}), then act; one
 * {@link FailureHandler} writes every error.
 *
 * <p>Endpoints of API.md that are not listed here are not served yet and answer the router's 404.
 */
public final class QuorumVerticle extends VerticleBase {

    /** JSON bodies (sessions, locks, later members) are small; values have their own limit. */
    static final long MAX_JSON_BODY_BYTES = 64 * 1024;

    private final CoordinationService service;
    private final ServerSettings settings;
    private final Duration drainTimeout;
    private final KvHandlers kv;
    private final SessionHandlers sessions;
    private final LockHandlers locks;
    private final ClusterHandlers cluster;
    private final MembershipHandlers membership;
    private final WatchHandlers watches;
    private final BrowserGuard browsers;
    private final FailureHandler failures = new FailureHandler();
    private final TlsMaterial tls;
    private HttpServer server;
    private CertificateReloader reloader;

    /** A plain-HTTP API. */
    public QuorumVerticle(CoordinationService service, ServerSettings settings, Duration drainTimeout) {
        this(service, settings, null, drainTimeout);
    }

    /**
     * @param tls          the HTTPS certificate (and, with {@code --client-cert-auth}, the CA client
     *                     certificates must chain to), checked; null for plain HTTP
     * @param drainTimeout how long a stop waits for in-flight requests before closing their connections
     */
    public QuorumVerticle(CoordinationService service, ServerSettings settings, TlsMaterial tls, Duration drainTimeout) {
        this.service = service;
        this.settings = settings;
        this.tls = tls;
        this.drainTimeout = drainTimeout;
        this.kv = new KvHandlers(service, settings.maxValueBytes());
        this.sessions = new SessionHandlers(service);
        this.locks = new LockHandlers(service);
        this.watches = new WatchHandlers(service);
        this.cluster = new ClusterHandlers(service, settings.httpAddr().toString());
        this.membership = new MembershipHandlers(service);
        this.browsers = new BrowserGuard(settings.allowedOrigins(), settings.httpAddr());
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions();
        if (tls != null) {
            options.setSsl(true).setSslEngineOptions(TlsEngine.preferred()).setKeyCertOptions(tls.keyCertOptions());
            if (settings.tls().clientCertAuth()) {
                options.setTrustOptions(tls.trustOptions()).setClientAuth(ClientAuth.REQUIRED);
            }
        }
        server = vertx.createHttpServer(options)
                .invalidRequestHandler(failures::invalidRequest)
                .requestHandler(routes());
        return server.listen(settings.httpAddr().port(), settings.httpAddr().host()).onSuccess(listening -> {
            if (tls != null) {
                reloader = CertificateReloader.start(vertx, "HTTP API", tls, settings.tls().reloadInterval(),
                        renewed -> server.updateSSLOptions(sslOptions(renewed), true));
            }
        });
    }

    /** What new HTTPS connections are served with once certificate files were renewed. */
    private ServerSSLOptions sslOptions(TlsMaterial material) {
        ServerSSLOptions options = new ServerSSLOptions().setKeyCertOptions(material.keyCertOptions());
        if (settings.tls().clientCertAuth()) {
            options.setTrustOptions(material.trustOptions()).setClientAuth(ClientAuth.REQUIRED);
        }
        return options;
    }

    /** Stops accepting, lets in-flight requests finish up to the drain timeout, then closes. */
    @Override
    public Future<?> stop() {
        if (reloader != null) {
            reloader.stop();
        }
        return server == null ? Future.succeededFuture() : server.shutdown(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The port the API listens on (the configured one, or the one the system chose for port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private Router routes() {
        Router router = Router.router(vertx);
        BodyHandler valueBody = BodyHandler.create(false).setBodyLimit(settings.maxValueBytes());
        BodyHandler jsonBody = BodyHandler.create(false).setBodyLimit(MAX_JSON_BODY_BYTES);

        // First: a browser page's request that is not allowed is refused before any handler acts.
        router.route().handler(browsers::check);
        router.route().handler(this::stampHeaders);

        router.put(KvHandlers.PREFIX + "*").handler(valueBody).handler(kv::put);
        router.get(KvHandlers.PREFIX + "*").handler(kv::get);
        router.delete(KvHandlers.PREFIX + "*").handler(kv::delete);

        router.post("/v1/sessions").handler(jsonBody).handler(sessions::open);
        router.get("/v1/sessions").handler(sessions::list);
        router.post("/v1/sessions/:id/keepalive").handler(sessions::keepAlive);
        router.get("/v1/sessions/:id").handler(sessions::get);
        router.delete("/v1/sessions/:id").handler(sessions::close);

        router.post(LockHandlers.PREFIX + "*").handler(jsonBody).handler(locks::acquire);
        router.delete(LockHandlers.PREFIX + "*").handler(locks::release);
        router.get(LockHandlers.PREFIX + "*").handler(locks::get);

        router.get(WatchHandlers.PREFIX + "*").handler(watches::poll);

        router.get("/v1/cluster").handler(cluster::cluster);
        router.get("/v1/snapshot").handler(new SnapshotHandlers(service)::download);
        router.post("/v1/cluster/members").handler(jsonBody).handler(membership::add);
        router.delete("/v1/cluster/members/:id").handler(membership::remove);
        router.post("/v1/cluster/leader").handler(jsonBody).handler(membership::transferLeader);
        router.get("/health").handler(cluster::health);
        router.get("/ready").handler(cluster::ready);
        router.get("/metrics").handler(new io.quorum.metrics.MetricsEndpoint(service.metrics()));

        router.route().failureHandler(failures::handle);
        router.errorHandler(404, failures::handle);
        router.errorHandler(405, failures::handle);
        return router;
    }

    /**
     * Every response carries {@code X-Quorum-Index} and, when known, {@code X-Quorum-Leader},
     * taken when its headers are written, so they are as fresh as the answer.
     */
    private void stampHeaders(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            ctx.response().putHeader("X-Quorum-Index", Long.toString(service.appliedIndex()));
            String leader = service.status() == null ? null : service.status().leader();
            if (leader != null) {
                ctx.response().putHeader("X-Quorum-Leader", leader);
            }
        });
        ctx.next();
    }
}
