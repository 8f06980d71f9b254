package io.quorum.bench;

import java.util.Locale;

/** The systems {@code quorum bench} measures, with their default client endpoints. */
public enum TargetKind {
    QUORUM("http://127.0.0.1:7001"),
    ETCD("http://127.0.0.1:2379"),
    ZOOKEEPER("127.0.0.1:2181");

    private final String defaultEndpoints;

    TargetKind(String defaultEndpoints) {
        this.defaultEndpoints = defaultEndpoints;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String defaultEndpoints() {
        return defaultEndpoints;
    }

    /**
     * Connections when {@code --connections} is not given: one gRPC channel per endpoint for etcd,
     * which multiplexes every outstanding call on it; one connection per client otherwise.
     */
    public int defaultConnections(int clients, int endpoints) {
        return this == ETCD ? endpoints : clients;
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static TargetKind parse(String name) {
        for (TargetKind t : values()) {
            if (t.cliName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + name + "' (one of quorum, etcd, zookeeper)");
    }
}
