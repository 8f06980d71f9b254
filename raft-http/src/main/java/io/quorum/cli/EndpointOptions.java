package io.quorum.cli;

import io.quorum.client.ClientOptions;
import io.quorum.client.QuorumClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every client command shares: where the cluster is and how long a request may take. */
final class EndpointOptions {

    @Option(names = "--endpoints", defaultValue = "http://127.0.0.1:7001", paramLabel = "URL[,URL…]",
            description = "The cluster's HTTP endpoints, tried in turn (default: ${DEFAULT-VALUE}; env QUORUM_ENDPOINTS).")
    String endpoints;

    @Option(names = "--timeout", defaultValue = "15s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long one request may wait for its answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** @throws IllegalArgumentException when {@code --endpoints} is not a list of http URLs */
    QuorumClient client() {
        return QuorumClient.of(QuorumClient.parseEndpoints(endpoints), ClientOptions.DEFAULTS.withRequestTimeout(timeout));
    }
}
