package io.quorum.server;

import io.quorum.raft.tls.CertificateReloader;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import io.quorum.raft.transport.PeerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node's TLS flags, with etcd's names, validated as groups: the peer files go together, the
 * HTTP certificate goes with its key, and client certificates are required only with a CA to check
 * them against. Nothing is read here; {@link #load()} reads and checks the files at start.
 *
 * @param peer           the Raft port's certificate, key and CA ({@code --peer-*-file}), or null for plaintext
 * @param http           the HTTP API's certificate and key ({@code --cert-file}, {@code --key-file}) and,
 *                       with client certificate authentication, the CA ({@code --trusted-ca-file}); or
 *                       null for plain HTTP
 * @param clientCertAuth whether HTTP clients must present a certificate that chains to {@code http}'s CA
 * @param reloadInterval how often certificate files are read again for a renewal
 */
public record TlsSettings(PemFiles peer, PemFiles http, boolean clientCertAuth, Duration reloadInterval) {

    public static final TlsSettings NONE = new TlsSettings(null, null, false, CertificateReloader.DEFAULT_INTERVAL);

    public TlsSettings {
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (peer != null && (peer.certFile() == null || peer.trustedCaFile() == null)) {
            throw new IllegalArgumentException("peer TLS needs a certificate, its key and a trusted CA");
        }
        if (clientCertAuth && (http == null || http.trustedCaFile() == null)) {
            throw new IllegalArgumentException("client certificate authentication needs an HTTPS certificate and a trusted CA");
        }
    }

    /**
     * The settings these flags describe (each path may be null).
     *
     * @throws IllegalArgumentException naming the missing flag when a group is given in part
     */
    public static TlsSettings fromFlags(Path peerCertFile, Path peerKeyFile, Path peerTrustedCaFile, Path certFile,
                                        Path keyFile, Path trustedCaFile, boolean clientCertAuth) {
        PemFiles peer = null;
        List<String> peerMissing = missing(new Object[] {peerCertFile, peerKeyFile, peerTrustedCaFile},
                "--peer-cert-file", "--peer-key-file", "--peer-trusted-ca-file");
        if (peerMissing.size() < 3) {
            if (!peerMissing.isEmpty()) {
                throw new IllegalArgumentException("--peer-cert-file, --peer-key-file and --peer-trusted-ca-file go "
                        + "together (mutual TLS on the Raft port): " + String.join(" and ", peerMissing) + " missing");
            }
            peer = new PemFiles(peerCertFile, peerKeyFile, peerTrustedCaFile);
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException((certFile == null ? "--cert-file" : "--key-file") + " is missing: "
                    + "--cert-file and --key-file go together (HTTPS on the API)");
        }
        if (clientCertAuth && trustedCaFile == null) {
            throw new IllegalArgumentException("--trusted-ca-file is missing: --client-cert-auth checks client "
                    + "certificates against it");
        }
        if (trustedCaFile != null && !clientCertAuth) {
            throw new IllegalArgumentException("--client-cert-auth is missing: --trusted-ca-file is the CA of client "
                    + "certificates, which only --client-cert-auth asks for");
        }
        if (clientCertAuth && certFile == null) {
            throw new IllegalArgumentException("--cert-file and --key-file are missing: --client-cert-auth needs HTTPS");
        }
        PemFiles http = certFile == null ? null : new PemFiles(certFile, keyFile, trustedCaFile);
        return new TlsSettings(peer, http, clientCertAuth, CertificateReloader.DEFAULT_INTERVAL);
    }

    private static List<String> missing(Object[] values, String... flags) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                missing.add(flags[i]);
            }
        }
        return missing;
    }

    /** These settings with certificate files read again every {@code interval}. */
    public TlsSettings withReloadInterval(Duration interval) {
        return new TlsSettings(peer, http, clientCertAuth, interval);
    }

    /**
     * Reads and checks every file. Blocks: call at start, before anything listens.
     *
     * @throws io.quorum.raft.tls.TlsException naming the file that cannot be used
     */
    public Loaded load() {
        PeerTls peerTls = peer == null ? null : new PeerTls(TlsMaterial.load(peer), reloadInterval);
        TlsMaterial httpMaterial = http == null ? null : TlsMaterial.load(http);
        return new Loaded(peerTls, httpMaterial);
    }

    /**
     * The checked material a node starts with.
     *
     * @param peer the Raft port's, or null for plaintext
     * @param http the HTTP API's, or null for plain HTTP
     */
    public record Loaded(PeerTls peer, TlsMaterial http) {
        public static final Loaded NONE = new Loaded(null, null);
    }
}
