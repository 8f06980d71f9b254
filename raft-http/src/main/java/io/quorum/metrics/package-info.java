/**
 * Metrics in Prometheus's text format at {@code GET /metrics} (API.md "Metrics"), with Micrometer.
 *
 * <p>{@link io.quorum.metrics.QuorumMetrics} owns one node's registry: the JVM's binders, Vert.x's
 * own metrics (vertx-micrometer-metrics: the HTTP server's requests by method and code, with a
 * response-time histogram), {@link io.quorum.metrics.RaftMetrics} for the Raft node and
 * {@link io.quorum.metrics.CoordMetrics} for the coordination state.
 * {@link io.quorum.metrics.MetricsEndpoint} serves the scrape.
 *
 * <p>Rules: names and base units as API.md lists them; labels of low cardinality only (never a
 * key, session or lock name); histograms with explicit bucket boundaries ({@link
 * io.quorum.metrics.Buckets}) rather than percentile histograms. Recording happens on the node's
 * protocol, storage and apply threads and never waits; gauges read volatile values, and the
 * coordination counts are read without waiting for the replica's lock.
 *
 * <p>Lock wait and hold times are measured from the applied commands in cluster time (the leader's
 * clock stamped into every entry), so every member reports the same distribution: a wait runs from
 * the entry that queued the request to the entry that granted it, a hold from the grant to the
 * entry that released the lock (release, session close or expiry). Requests granted at once are
 * not waits. A snapshot installed from the leader forgets the waits and holds in progress.
 */
package io.quorum.metrics;
