package io.quorum.bench;

import io.quorum.raft.tls.TlsMaterial;
import java.time.Duration;
import java.util.List;

/**
 * One run of {@code quorum bench}, validated. Exactly one of {@code total} (operations measured
 * after the warmup) and {@code duration} (measured time after the warmup) is set; the other is 0
 * or {@link Duration#ZERO}.
 *
 * @param endpoints   the target's client endpoints (URLs for Quorum, host:port or URLs for etcd, host:port for ZooKeeper)
 * @param clients     operations kept outstanding at once (closed loop)
 * @param connections connections the clients share (gRPC channels for etcd)
 * @param stale       reads from the answering member's replica instead of linearizable reads
 * @param readFraction the share of reads in {@code mixed}
 * @param timeout     how long one operation may take before it counts as a timeout error
 * @param label       a name for this run in JSON output, for {@link CompareTable}
 * @param tls         the CA to trust and the client certificate to present at https endpoints
 *                    ({@code --cacert --cert --key}); null for the JVM's trust store and no certificate
 */
public record BenchOptions(TargetKind target, List<String> endpoints, Workload workload, int clients,
        int connections, long total, Duration duration, Duration warmup, int keySize, int valueSize, int keySpace,
        boolean stale, double readFraction, Duration timeout, String label, TlsMaterial tls) {

    public BenchOptions {
        endpoints = List.copyOf(endpoints);
        require(!endpoints.isEmpty(), "--endpoints names no endpoint");
        require(clients >= 1 && clients <= 10_000, "--clients must be from 1 to 10000, not " + clients);
        require(connections >= 1 && connections <= 10_000, "--connections must be from 1 to 10000, not " + connections);
        require(total >= 0, "--total must be positive, not " + total);
        require(total > 0 != duration.compareTo(Duration.ZERO) > 0, "give exactly one of --total and --duration");
        require(!warmup.isNegative(), "--warmup must not be negative");
        require(keySize >= 1 && keySize <= 255, "--key-size must be from 1 to 255, not " + keySize);
        require(valueSize >= 0 && valueSize <= 256 * 1024, "--value-size must be from 0 to 262144, not " + valueSize);
        require(keySpace >= 1, "--key-space must be positive, not " + keySpace);
        require(keySize >= 10 || keySpace <= Math.pow(10, keySize),
                "--key-space " + keySpace + " has more keys than " + keySize + " digits can name");
        require(readFraction >= 0 && readFraction <= 1, "--read-fraction must be from 0 to 1, not " + readFraction);
        require(timeout.compareTo(Duration.ZERO) > 0, "--timeout must be positive");
        long https = endpoints.stream().filter(BenchOptions::isHttps).count();
        require(https == 0 || https == endpoints.size(), "--endpoints mixes http:// and https://");
        require(target != TargetKind.ZOOKEEPER || (https == 0 && tls == null),
                "the zookeeper target speaks plaintext only: no https:// endpoints, --cacert, --cert or --key");
        require(tls == null || https > 0, "--cacert, --cert and --key are for https:// endpoints; --endpoints names none");
    }

    private static boolean isHttps(String endpoint) {
        return endpoint.strip().startsWith("https://");
    }

    /** Whether the run speaks TLS: its endpoints are https URLs. */
    public boolean encrypted() {
        return endpoints.stream().anyMatch(BenchOptions::isHttps);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** How long a lock's session or lease must live for the whole run (at least an hour for a --total run). */
    Duration sessionLifetime() {
        Duration run = total > 0 ? Duration.ofHours(1) : warmup.plus(duration);
        return run.plus(timeout).plusSeconds(60);
    }
}
