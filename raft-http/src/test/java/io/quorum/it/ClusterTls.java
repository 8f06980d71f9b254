package io.quorum.it;

import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The certificates of a {@link ProcessCluster} started with TLS on both ports, minted into one
 * directory: a peer CA and, for each member, a peer certificate naming its id; an API CA, for each
 * member an HTTPS certificate for 127.0.0.1 and localhost, and a client certificate the tests'
 * requests present (the nodes require one). Two CAs, as a production cluster would have.
 */
public final class ClusterTls {

    private final Path dir;
    private final Authority peerCa = TestCertificates.authority("peer-ca");
    private final Authority apiCa = TestCertificates.authority("api-ca");
    private final Path peerCaFile;
    private final Path apiCaFile;
    private final PemFiles client;

    private ClusterTls(Path dir) {
        this.dir = dir;
        this.peerCaFile = peerCa.writeCertificate(dir);
        this.apiCaFile = apiCa.writeCertificate(dir);
        this.client = apiCa.issue("test-client", List.of(), List.of()).write(dir, "client", apiCaFile);
    }

    /** Mints the CAs and the client certificate into {@code dir}; members' certificates come with {@link #flags}. */
    static ClusterTls mint(Path dir) {
        return new ClusterTls(dir);
    }

    /** The TLS flags of member {@code id}, minting its certificates on first use. */
    synchronized List<String> flags(String id) {
        PemFiles peer = new PemFiles(dir.resolve(id + "-peer.pem"), dir.resolve(id + "-peer-key.pem"), peerCaFile);
        PemFiles api = new PemFiles(dir.resolve(id + "-api.pem"), dir.resolve(id + "-api-key.pem"), apiCaFile);
        if (!peer.certFile().toFile().exists()) {
            peerCa.issue(id, List.of(id), List.of()).write(dir, id + "-peer", peerCaFile);
            TestCertificates.localServer(apiCa, id).write(dir, id + "-api", apiCaFile);
        }
        List<String> flags = new ArrayList<>(List.of(
                "--peer-cert-file", peer.certFile().toString(), "--peer-key-file", peer.keyFile().toString(),
                "--peer-trusted-ca-file", peerCaFile.toString(),
                "--cert-file", api.certFile().toString(), "--key-file", api.keyFile().toString(),
                "--trusted-ca-file", apiCaFile.toString(), "--client-cert-auth"));
        return flags;
    }

    /** The client certificate, its key and the API CA, as the CLI's --cert, --key and --cacert. */
    public PemFiles client() {
        return client;
    }

    /** What the tests' HTTPS requests use: the client certificate, trusting the API CA. */
    public SSLContext clientContext() {
        return TlsMaterial.load(client).sslContext();
    }

    /** Member {@code id}'s peer certificate, key and the peer CA, as it dials its peers. */
    public PemFiles peerFiles(String id) {
        flags(id);
        return new PemFiles(dir.resolve(id + "-peer.pem"), dir.resolve(id + "-peer-key.pem"), peerCaFile);
    }

    public Authority peerCa() {
        return peerCa;
    }

    public Path peerCaFile() {
        return peerCaFile;
    }

    public Path dir() {
        return dir;
    }
}
