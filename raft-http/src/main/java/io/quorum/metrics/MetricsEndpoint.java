package io.quorum.metrics;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the node's registry in Prometheus's text format. The scrape walks every
 * meter and formats the page, so it runs on a worker thread, never on the event loop.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final QuorumMetrics metrics;

    public MetricsEndpoint(QuorumMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.vertx().executeBlocking(metrics::scrape, false).onComplete(scraped -> {
            if (scraped.failed()) {
                ctx.fail(scraped.cause());
            } else {
                ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(scraped.result());
            }
        });
    }
}
