package io.quorum.http;

import io.quorum.server.AllowedOrigins;
import io.quorum.server.HostPort;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages in a browser from using a node's API unless the operator allowed their origin
 * ({@code --allowed-origins}). It runs first, before any handler acts, because a browser lets any
 * page send a request to any address, the node's on localhost included: a {@code text/plain} POST
 * needs no preflight, and the API reads any body as JSON, so without this a page could open
 * sessions, take locks or write keys on a node it found on the visitor's machine.
 *
 * <p>Two rules, each answered 403 FORBIDDEN_ORIGIN:
 * <ul>
 *   <li><b>Origin.</b> Browsers name the page's origin in {@code Origin} on every request whose
 *       answer a script of another origin could read, and on every POST, PUT and DELETE. A request
 *       that carries an origin not allowed is refused; one without {@code Origin} (curl, the CLI,
 *       the Java client, other programs) is not a browser page's and passes.</li>
 *   <li><b>Host, against DNS rebinding.</b> A page can make its own name resolve to 127.0.0.1 after
 *       it loaded; its requests are then same-origin for the browser, carry no {@code Origin} on a
 *       GET, and it can read the answers. They still name the page's host in {@code Host}. So while
 *       the node listens on a loopback address, a {@code Host} that is not a loopback name
 *       ({@link LoopbackNames}) is refused. A request without {@code Host} (HTTP/1.0; Vert.x Web
 *       answers 400 to HTTP/1.1 without one) passes this rule. On any other address the node is
 *       reached by names this node cannot know, and {@code Host} is not checked.</li>
 * </ul>
 *
 * <p>For an allowed origin the CORS answer is Vert.x Web's {@link CorsHandler}: it answers the
 * preflight (204 with the methods and headers the API takes) and adds the allowing headers to the
 * actual request. It is set to accept every origin that reaches it, because the decision is made
 * here, once: its own checks would allow every origin when the list is empty, answer {@code *}
 * instead of the origin for {@code *}, and refuse with a bare 403 outside the API's error format.
 *
 * <p>A refused request gets neither {@code X-Quorum-Index} nor {@code X-Quorum-Leader}: this runs
 * before they are stamped, so a page learns nothing about the cluster from its refusal.
 */
final class BrowserGuard {

    static final String FORBIDDEN_ORIGIN = "FORBIDDEN_ORIGIN";

    /** The methods the API serves. */
    private static final Set<HttpMethod> METHODS = ordered(HttpMethod.GET, HttpMethod.PUT, HttpMethod.POST, HttpMethod.DELETE);

    /** The request headers the API reads. */
    private static final Set<String> REQUEST_HEADERS = ordered("Content-Type", "Accept", "If-Match", "If-None-Match",
            "X-Quorum-Fence", "Last-Event-ID", "Authorization", "Idempotency-Key");

    /** The response headers clients read; a page's script sees only those listed (and a few safe ones). */
    private static final Set<String> EXPOSED_HEADERS = ordered("X-Quorum-Index", "X-Quorum-Leader", "X-Quorum-Version",
            "X-Quorum-Mod-Index", "ETag", "Retry-After");

    /** How long a browser may reuse a preflight's answer; Chrome caps it at two hours anyway. */
    private static final int PREFLIGHT_MAX_AGE_SECONDS = 600;

    private final AllowedOrigins allowedOrigins;
    private final boolean listensOnLoopback;
    private final CorsHandler cors;

    BrowserGuard(AllowedOrigins allowedOrigins, HostPort httpAddr) {
        this.allowedOrigins = allowedOrigins;
        this.listensOnLoopback = LoopbackNames.isLoopback(httpAddr.host());
        this.cors = CorsHandler.create()
                // Any origin: only those check() allowed get here (see the class comment). Not ".*",
                // which would answer "*" instead of the page's origin.
                .addOriginWithRegex(".+")
                .allowedMethods(METHODS)
                .allowedHeaders(REQUEST_HEADERS)
                .exposedHeaders(EXPOSED_HEADERS)
                .maxAgeSeconds(PREFLIGHT_MAX_AGE_SECONDS)
                // Chrome asks before a public page may reach a private or loopback address; an
                // allowed origin is one the operator means to reach this node.
                .allowPrivateNetwork(true);
    }

    /** The first handler of every route: refuses (through the failure handler) or lets the request go on. */
    void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        // Every answer depends on Origin (refused, allowed, or plain without one), so no cache may
        // hand one origin's answer to another; the CORS handler marks only those it passes on.
        ctx.addHeadersEndHandler(v -> varyOnOrigin(ctx.response()));
        ApiException refusal = refusal(origin, request.authority());
        if (refusal != null) {
            ctx.fail(refusal);
        } else if (origin == null) {
            ctx.next();
        } else {
            cors.handle(ctx);
        }
    }

    /**
     * Why a request with this {@code Origin} header and this {@code Host} is refused, or null when
     * it may go on. Decides from its arguments alone.
     *
     * @param origin    the {@code Origin} header, or null when absent
     * @param authority the request's {@code Host}, or null when absent
     */
    ApiException refusal(String origin, HostAndPort authority) {
        if (listensOnLoopback && authority != null && !LoopbackNames.isLoopback(authority.host())) {
            return new ApiException(403, FORBIDDEN_ORIGIN, "Host '" + hostHeader(authority) + "' is not a loopback name "
                    + "while this node listens on a loopback address: refused as DNS rebinding protection");
        }
        if (origin != null && !allowedOrigins.allows(origin)) {
            return new ApiException(403, FORBIDDEN_ORIGIN, "origin '" + origin + "' is not allowed to use this API: "
                    + "list it in --allowed-origins (QUORUM_ALLOWED_ORIGINS) to let its pages in");
        }
        return null;
    }

    private static void varyOnOrigin(HttpServerResponse response) {
        String vary = response.headers().get(HttpHeaders.VARY);
        if (vary == null) {
            response.putHeader(HttpHeaders.VARY, "Origin");
        } else if (!vary.toLowerCase(Locale.ROOT).contains("origin")) {
            response.putHeader(HttpHeaders.VARY, vary + ", Origin");
        }
    }

    @SafeVarargs
    private static <T> Set<T> ordered(T... elements) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(elements)));
    }

    private static String hostHeader(HostAndPort authority) {
        return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
    }
}
