package io.quorum.client;

import io.quorum.raft.tls.TlsMaterial;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link QuorumClient} waits and retries.
 *
 * @param connectTimeout how long opening a connection may take before the endpoint counts as down
 * @param requestTimeout how long a request may wait for its answer (a long poll or a lock wait adds
 *     its own wait to this); a timeout leaves a write's outcome unknown
 * @param maxAttempts how many sends one call may make in all, over all endpoints, before it gives up
 * @param maxBackoff the longest pause before a retry, whatever {@code Retry-After} asks
 * @param tls for {@code https} endpoints: the CAs to trust (the JVM's default trust store when it
 *     names none) and the certificate to present when the cluster requires client certificates;
 *     null for the JVM's defaults and no client certificate
 */
public record ClientOptions(Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration maxBackoff,
                            TlsMaterial tls) {

    /** 2 s to connect, 15 s per request, 6 attempts, pauses of at most 2 s, the JVM's TLS defaults. */
    public static final ClientOptions DEFAULTS = new ClientOptions(Duration.ofSeconds(2), Duration.ofSeconds(15), 6,
            Duration.ofSeconds(2), null);

    public ClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (maxBackoff.isNegative()) {
            throw new IllegalArgumentException("maxBackoff must not be negative");
        }
    }

    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(connectTimeout, timeout, maxAttempts, maxBackoff, tls);
    }

    public ClientOptions withMaxAttempts(int attempts) {
        return new ClientOptions(connectTimeout, requestTimeout, attempts, maxBackoff, tls);
    }

    public ClientOptions withMaxBackoff(Duration backoff) {
        return new ClientOptions(connectTimeout, requestTimeout, maxAttempts, backoff, tls);
    }

    /**
     * These options with TLS material for {@code https} endpoints, as {@code quorum --cacert --cert
     * --key} gives it: {@code TlsMaterial.load(new PemFiles(cert, key, cacert))}.
     */
    public ClientOptions withTls(TlsMaterial material) {
        return new ClientOptions(connectTimeout, requestTimeout, maxAttempts, maxBackoff, material);
    }
}
