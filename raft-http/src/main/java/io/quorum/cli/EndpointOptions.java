package io.quorum.cli;

import io.quorum.client.ClientOptions;
import io.quorum.client.QuorumClient;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every client command shares: where the cluster is, how long a request may take, and the TLS files for https endpoints. */
final class EndpointOptions {

    @Option(names = "--endpoints", defaultValue = "http://127.0.0.1:7001", paramLabel = "URL[,URL…]",
            description = "The cluster's HTTP endpoints, tried in turn (default: ${DEFAULT-VALUE}; env QUORUM_ENDPOINTS).")
    String endpoints;

    @Option(names = "--timeout", defaultValue = "15s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long one request may wait for its answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "For https endpoints: the CA certificate(s) the server's certificate must chain to (PEM; "
                    + "default: the JVM's trust store; env QUORUM_CACERT).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "A client certificate (PEM) for clusters that require one; goes with --key (env QUORUM_CERT).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The private key of --cert (PEM, unencrypted; env QUORUM_KEY).")
    Path key;

    /**
     * @throws IllegalArgumentException when {@code --endpoints} is not a list of http URLs, or only one of {@code --cert} and {@code --key} is given
     * @throws io.quorum.raft.tls.TlsException when a certificate or key file cannot be used
     */
    QuorumClient client() {
        List<URI> uris;
        try {
            uris = QuorumClient.parseEndpoints(endpoints);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--endpoints: " + e.getMessage(), e);
        }
        return QuorumClient.of(uris, options());
    }

    /**
     * What a client of these flags runs with: the request timeout and the TLS files.
     *
     * @throws IllegalArgumentException when only one of {@code --cert} and {@code --key} is given
     * @throws io.quorum.raft.tls.TlsException when a certificate or key file cannot be used
     */
    ClientOptions options() {
        ClientOptions options = ClientOptions.DEFAULTS.withRequestTimeout(timeout);
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException((cert == null ? "--cert" : "--key") + " is missing: --cert and --key go together");
        }
        if (cacert != null || cert != null) {
            options = options.withTls(TlsMaterial.load(new PemFiles(cert, key, cacert)));
        }
        return options;
    }
}
