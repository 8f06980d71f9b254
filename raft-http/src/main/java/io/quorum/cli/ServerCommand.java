package io.quorum.cli;

import io.quorum.http.QuorumServer;
import io.quorum.raft.tls.TlsException;
import io.quorum.server.AllowedOrigins;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import io.quorum.server.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quorum server}: runs a node until SIGTERM or SIGINT, then shuts down cleanly: stops
 * accepting requests, lets in-flight ones finish up to the drain timeout, closes the Raft node
 * and exits 0.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Runs a Quorum node (the default command). Every flag can also be set as QUORUM_<FLAG>.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--id", defaultValue = "n1", description = "This node's id (default: ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--data-dir", description = "Data directory (default: data/<id>).")
    Path dataDir;

    @Option(names = "--http-addr", defaultValue = "127.0.0.1:7001", description = "HTTP API address (default: ${DEFAULT-VALUE}).")
    String httpAddr;

    @Option(names = "--raft-addr", defaultValue = "127.0.0.1:7101", description = "Raft peer address (default: ${DEFAULT-VALUE}).")
    String raftAddr;

    @Option(names = "--raft-listen-addr", description = {
            "Where the Raft transport listens, when peers reach --raft-addr through a NAT, a container port "
                    + "mapping or a proxy that forwards to it (default: --raft-addr)."})
    String raftListenAddr;

    @Option(names = "--members", description = {
            "The initial voters: id=host:port,... (default: this node alone).",
            "When the list does not name --id, this node joins that cluster instead: it starts empty, bootstraps "
                    + "nothing and waits until a member adds it (POST /v1/cluster/members {\"id\",\"raftAddr\"} "
                    + "with this node's --id and --raft-addr)."})
    String members;

    @Option(names = "--max-value-bytes", defaultValue = "262144",
            description = "Largest value a put may write; the same on every node (default: ${DEFAULT-VALUE}).")
    int maxValueBytes;

    @Option(names = "--drain-timeout", defaultValue = "10",
            description = "Seconds a shutdown waits for in-flight requests (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--peer-cert-file", paramLabel = "FILE", description = {
            "Mutual TLS on the Raft port: this node's certificate (PEM). Its subject CN or a DNS SAN must be --id. "
                    + "Goes with --peer-key-file and --peer-trusted-ca-file; renewed files are picked up within 10 s."})
    Path peerCertFile;

    @Option(names = "--peer-key-file", paramLabel = "FILE", description = "The private key of --peer-cert-file (PEM, unencrypted).")
    Path peerKeyFile;

    @Option(names = "--peer-trusted-ca-file", paramLabel = "FILE",
            description = "The CA (PEM) that every member's peer certificate must chain to.")
    Path peerTrustedCaFile;

    @Option(names = "--cert-file", paramLabel = "FILE",
            description = "Serve the HTTP API over HTTPS only, with this certificate (PEM); goes with --key-file.")
    Path certFile;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The private key of --cert-file (PEM, unencrypted).")
    Path keyFile;

    @Option(names = "--trusted-ca-file", paramLabel = "FILE",
            description = "The CA (PEM) that client certificates must chain to; goes with --client-cert-auth.")
    Path trustedCaFile;

    @Option(names = "--client-cert-auth", description = "Require HTTPS clients to present a certificate from --trusted-ca-file.")
    boolean clientCertAuth;

    @Option(names = "--allowed-origins", description = {
            "Browser origins whose pages may use the API: scheme://host[:port],... or * for any (default: none).",
            "A request with another Origin is refused 403 FORBIDDEN_ORIGIN; requests without one (curl, the CLI) pass."})
    String allowedOrigins;

    /** The settings these flags describe. */
    ServerSettings settings() {
        HostPort raft = HostPort.parse(raftAddr);
        SortedMap<String, String> voters = members == null || members.isBlank()
                ? ServerSettings.singleMember(id, raft)
                : ServerSettings.parseMembers(members);
        HostPort listen = raftListenAddr == null || raftListenAddr.isBlank() ? raft : HostPort.parse(raftListenAddr);
        TlsSettings tls = TlsSettings.fromFlags(peerCertFile, peerKeyFile, peerTrustedCaFile, certFile, keyFile,
                trustedCaFile, clientCertAuth);
        return new ServerSettings(id, dataDir != null ? dataDir : Path.of("data", id), HostPort.parse(httpAddr), raft, listen,
                voters, maxValueBytes, ServerSettings.DEFAULT_TICK, tls, AllowedOrigins.parse(allowedOrigins));
    }

    @Override
    public Integer call() throws Exception {
        ServerSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            System.err.println("quorum server: " + e.getMessage());
            return 2;
        }
        QuorumServer server;
        try {
            server = QuorumServer.start(settings, Duration.ofSeconds(Math.max(0, drainSeconds)));
        } catch (TlsException e) {
            System.err.println("quorum server: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
            // A signal's shutdown would exit 143; API.md promises 0 after a clean SIGTERM shutdown.
            Runtime.getRuntime().halt(0);
        }, "quorum-shutdown"));
        stopped.await();
        return 0;
    }
}
