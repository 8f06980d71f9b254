package io.quorum.http;

import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import io.quorum.server.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A single node {@code n1} in this JVM that serves HTTPS and requires client certificates from
 * {@code ca}, as {@code --cert-file --key-file --trusted-ca-file --client-cert-auth} set it up: the
 * CA file under {@code dir/ca}, the node's certificate (n1, localhost, 127.0.0.1) and key under
 * {@code dir/server}, data in {@code dir/data}. Public for the tests of the client, the command
 * line and the bench.
 *
 * @param endpoint {@code https://127.0.0.1:<port>}
 */
public record HttpsNode(QuorumServer server, Path caFile, PemFiles serverFiles, String endpoint) implements AutoCloseable {

    /** With the server's default interval between checks for renewed certificate files. */
    public static HttpsNode start(Path dir, Authority ca) throws Exception {
        return start(dir, ca, null);
    }

    /** @param reloadInterval how often the node looks for renewed certificate files; null for its default */
    public static HttpsNode start(Path dir, Authority ca, Duration reloadInterval) throws Exception {
        Path caFile = ca.writeCertificate(dir.resolve("ca"));
        PemFiles serverFiles = TestCertificates.localServer(ca, "n1").write(dir.resolve("server"), "n1", caFile);
        TlsSettings tls = TlsSettings.fromFlags(null, null, null, serverFiles.certFile(), serverFiles.keyFile(), caFile,
                true);
        QuorumServer server = TestCluster.startSingle(dir.resolve("data"),
                reloadInterval == null ? tls : tls.withReloadInterval(reloadInterval));
        return new HttpsNode(server, caFile, serverFiles, "https://127.0.0.1:" + server.httpPort());
    }

    @Override
    public void close() {
        server.close();
    }
}
