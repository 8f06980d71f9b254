package io.quorum.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorum.coord.Applied;
import io.quorum.coord.CoordStateMachine;
import io.quorum.raft.node.RaftNode;
import io.quorum.server.AppliedObserver;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.function.Supplier;

/**
 * One node's metrics registry (Prometheus): the JVM's binders (memory, GC, threads, class
 * loading, processor), Vert.x's metrics for the {@link Vertx} built by {@link #newVertx()}, and
 * the node's own ({@link RaftMetrics}, {@link CoordMetrics}). Each node has its own registry, so
 * that nodes sharing a JVM in tests report apart.
 *
 * <p>Vert.x's HTTP server metrics carry the method and status code only: a path label would make
 * every key a series. Their response time is a histogram with the buckets of {@link Buckets#HTTP}.
 *
 * <p>Two of Micrometer's processor meters are adjusted so that the page passes {@code promtool check
 * metrics}: {@code system.cpu.count}, a gauge whose {@code _count} suffix Prometheus reserves for
 * histograms, is published as {@code system_cpus}; {@code process.cpu.time}, a counter in
 * nanoseconds rather than the base unit, is dropped ({@code process_cpu_usage} remains).
 */
public final class QuorumMetrics implements AutoCloseable {

    static final String HTTP_RESPONSE_TIME = "vertx.http.server.response.time";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final RaftMetrics raft;
    private final CoordMetrics coord;

    public QuorumMetrics() {
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(renamed("system.cpu.count", "system.cpus"))
                .meterFilter(httpResponseHistogram());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        raft = new RaftMetrics(registry);
        coord = new CoordMetrics(registry);
    }

    private static MeterFilter renamed(String from, String to) {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals(from) ? id.withName(to) : id;
            }
        };
    }

    private static MeterFilter httpResponseHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_RESPONSE_TIME)) {
                    return config;
                }
                double[] nanos = new double[Buckets.HTTP.length];
                for (int i = 0; i < nanos.length; i++) {
                    nanos[i] = Buckets.HTTP[i].toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }

    /** A Vert.x instance whose metrics (HTTP server, pools, event bus) go to this registry. */
    public Vertx newVertx() {
        MicrometerMetricsOptions options = new MicrometerMetricsOptions()
                .setEnabled(true)
                // Vert.x's defaults, spelled out: HTTP_PATH and HTTP_ROUTE stay off.
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE));
        // The HTTP server's and the worker pools' metrics stay. The Raft transport's TCP traffic
        // (NET_SERVER, NET_CLIENT) would be counted on every read and write of every frame, and
        // quorum_raft_* already tells what matters of it; nothing uses the others.
        for (MetricsDomain unused : EnumSet.of(MetricsDomain.NET_SERVER, MetricsDomain.NET_CLIENT,
                MetricsDomain.HTTP_CLIENT, MetricsDomain.DATAGRAM_SOCKET, MetricsDomain.EVENT_BUS, MetricsDomain.VERTICLES)) {
            options.addDisabledMetricsCategory(unused);
        }
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(options))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /** What the replica tells of applied entries; give it to the replica before the node starts. */
    public AppliedObserver coordination() {
        return coord;
    }

    /**
     * Reports {@code node}'s work and status, and the coordination state's counts read from
     * {@code coordStats} (which must not block), in this registry.
     */
    public void bind(RaftNode<Applied> node, Supplier<CoordStateMachine.Stats> coordStats) {
        raft.bind(node, registry);
        coord.bindStats(coordStats, registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The whole registry in Prometheus's text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
