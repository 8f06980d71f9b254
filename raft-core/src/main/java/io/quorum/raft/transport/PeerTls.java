package io.quorum.raft.transport;

import io.quorum.raft.tls.CertificateNames;
import io.quorum.raft.tls.CertificateReloader;
import io.quorum.raft.tls.TlsMaterial;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Mutual TLS on the Raft port. The node presents {@code material}'s certificate both when it
 * accepts and when it dials; the other side's must chain to {@code material}'s trusted CA and
 * name, as its subject CN or a DNS SAN, the member id it speaks for: a dialed peer's certificate
 * must name the peer dialed, and every frame on an accepted connection must come from a member its
 * certificate names ({@link FrameRejection#IDENTITY_MISMATCH}). Host names and addresses are not
 * checked: the member id is the identity, wherever the member runs.
 *
 * @param material       certificate, key and trusted CA, checked
 * @param reloadInterval how often the files are read again to pick up a renewal
 */
public record PeerTls(TlsMaterial material, Duration reloadInterval) {

    public PeerTls {
        Objects.requireNonNull(material, "material");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (!material.hasCertificate() || !material.hasTrustedCa()) {
            throw new IllegalArgumentException("peer TLS needs a certificate, its key and a trusted CA");
        }
        if (reloadInterval.toMillis() < 1) {
            throw new IllegalArgumentException("reloadInterval must be >= 1 ms");
        }
    }

    /** {@code material}, reloaded every {@link CertificateReloader#DEFAULT_INTERVAL}. */
    public static PeerTls of(TlsMaterial material) {
        return new PeerTls(material, CertificateReloader.DEFAULT_INTERVAL);
    }

    /** What the Raft port serves with: {@code material}'s certificate, and client certificates required and checked against its CA. */
    static ServerSSLOptions serverOptions(TlsMaterial material) {
        return new ServerSSLOptions()
                .setKeyCertOptions(material.keyCertOptions())
                .setTrustOptions(material.trustOptions())
                .setClientAuth(ClientAuth.REQUIRED);
    }

    /**
     * What a node dials its peers with: {@code material}'s certificate, and the peer's checked
     * against its CA. Host name verification is off because the identity checked is the member id
     * ({@link #namesOf}), not the address dialed, which may be an IP or a proxy's.
     */
    static ClientSSLOptions clientOptions(TlsMaterial material) {
        return new ClientSSLOptions()
                .setKeyCertOptions(material.keyCertOptions())
                .setTrustOptions(material.trustOptions())
                .setHostnameVerificationAlgorithm("");
    }

    /** The names the far end's verified certificate carries; empty when it presented none. */
    static Set<String> namesOf(NetSocket socket) {
        try {
            List<Certificate> chain = socket.peerCertificates();
            if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
                return Set.of();
            }
            return CertificateNames.of(leaf);
        } catch (SSLPeerUnverifiedException e) {
            return Set.of();
        }
    }
}
