package io.quorum.raft.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The certificate, key and trusted CAs of one TLS endpoint, read from its {@link PemFiles} and
 * checked once: every file parses, the key is the certificate's (a test signature verifies), and
 * the CA file holds at least one certificate. What a node serves or dials with is always material
 * that passed these checks; a renewal that does not (a key written before its certificate, say) is
 * refused by the {@link CertificateReloader} and the old material stays.
 *
 * <p>PEM keys are parsed by Vert.x's {@link PemKeyCertOptions} (PKCS#8, PKCS#1 RSA and SEC1 EC),
 * the same parser the servers would use, from bytes already in memory: no Vert.x instance is
 * needed, so the command-line client builds its {@link SSLContext} the same way. Immutable.
 */
public final class TlsMaterial {

    private final PemFiles files;
    private final PemFiles.Contents contents;
    private final X509Certificate certificate;
    private final KeyManagerFactory keyManagers;
    private final TrustManagerFactory trustManagers;

    private TlsMaterial(PemFiles files, PemFiles.Contents contents, X509Certificate certificate,
                        KeyManagerFactory keyManagers, TrustManagerFactory trustManagers) {
        this.files = files;
        this.contents = contents;
        this.certificate = certificate;
        this.keyManagers = keyManagers;
        this.trustManagers = trustManagers;
    }

    /**
     * Reads and checks {@code files}. Blocks on file reads: not for an event loop.
     *
     * @throws TlsException naming the file that is missing, unreadable or unusable
     */
    public static TlsMaterial load(PemFiles files) {
        return parse(files, files.read());
    }

    /** Checks {@code contents}, the bytes of {@code files} read at one moment. */
    static TlsMaterial parse(PemFiles files, PemFiles.Contents contents) {
        X509Certificate certificate = null;
        KeyManagerFactory keyManagers = null;
        if (contents.cert() != null) {
            List<X509Certificate> chain = certificates(files.certFile(), contents.cert());
            certificate = chain.get(0);
            keyManagers = keyManagers(files, contents);
        }
        TrustManagerFactory trustManagers = contents.trustedCa() == null
                ? null : trustManagers(files.trustedCaFile(), certificates(files.trustedCaFile(), contents.trustedCa()));
        return new TlsMaterial(files, contents, certificate, keyManagers, trustManagers);
    }

    public PemFiles files() {
        return files;
    }

    /** The endpoint's own certificate (the first of its file), or null when it presents none. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Whether this material has a certificate to present. */
    public boolean hasCertificate() {
        return keyManagers != null;
    }

    /** Whether this material names CAs to verify the other side against. */
    public boolean hasTrustedCa() {
        return trustManagers != null;
    }

    /** The certificate and key for a Vert.x server or client. */
    public KeyCertOptions keyCertOptions() {
        requirePresent(keyManagers, "certificate and key");
        return KeyCertOptions.wrap(keyManagers);
    }

    /** The trusted CAs for a Vert.x server or client. */
    public TrustOptions trustOptions() {
        requirePresent(trustManagers, "trusted CA");
        return TrustOptions.wrap(trustManagers);
    }

    /**
     * The certificate and key as JSSE key managers, for a client that takes managers rather than
     * Vert.x options or an {@link SSLContext} (gRPC's {@code TlsChannelCredentials}).
     */
    public KeyManager[] keyManagers() {
        requirePresent(keyManagers, "certificate and key");
        return keyManagers.getKeyManagers();
    }

    /** The trusted CAs as JSSE trust managers; see {@link #keyManagers()}. */
    public TrustManager[] trustManagers() {
        requirePresent(trustManagers, "trusted CA");
        return trustManagers.getTrustManagers();
    }

    /**
     * A JDK {@link SSLContext} with this material: the certificate to present, if any, and the CAs
     * to trust, or the JVM's default trust store when no CA file was given.
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keys = keyManagers == null ? null : keyManagers.getKeyManagers();
            context.init(keys, trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Why the certificate cannot be used today (expired, or not valid yet), or null. Not a reason
     * to refuse it: clocks differ, and the other side decides; a reason to say so in the log.
     */
    public String validityProblem() {
        if (certificate == null) {
            return null;
        }
        try {
            certificate.checkValidity();
            return null;
        } catch (CertificateExpiredException e) {
            return files.certFile() + " expired on " + certificate.getNotAfter().toInstant();
        } catch (CertificateNotYetValidException e) {
            return files.certFile() + " is not valid before " + certificate.getNotBefore().toInstant();
        }
    }

    /** Whether the files hold the same bytes as when this material was read. */
    boolean sameContentAs(PemFiles.Contents other) {
        return contents.sameAs(other);
    }

    /** For the log: whose certificate this is and until when. */
    public String describe() {
        if (certificate == null) {
            return "no certificate";
        }
        return "certificate " + CertificateNames.of(certificate) + " valid until " + certificate.getNotAfter().toInstant();
    }

    private static void requirePresent(Object part, String what) {
        if (part == null) {
            throw new IllegalStateException("this TLS material has no " + what);
        }
    }

    private static List<X509Certificate> certificates(Path file, byte[] pem) {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new TlsException(file + ": no PEM certificate in it");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new TlsException(file + ": not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(PemFiles files, PemFiles.Contents contents) {
        PemKeyCertOptions pem = new PemKeyCertOptions()
                .setKeyValue(Buffer.buffer(contents.key()))
                .setCertValue(Buffer.buffer(contents.cert()));
        KeyManagerFactory factory;
        try {
            // With the PEM given as values, Vert.x reads no file and needs no Vert.x instance.
            factory = pem.getKeyManagerFactory(null);
        } catch (Exception e) {
            throw new TlsException(files.keyFile() + ": not an unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)"
                    + " for " + files.certFile() + ": " + e.getMessage(), e);
        }
        X509KeyManager manager = (X509KeyManager) factory.getKeyManagers()[0];
        try {
            X509Certificate certificate = certificates(files.certFile(), contents.cert()).get(0);
            String[] aliases = manager.getServerAliases(certificate.getPublicKey().getAlgorithm(), null);
            if (aliases == null || aliases.length == 0) {
                throw new TlsException(files.keyFile() + " is not the private key of " + files.certFile());
            }
            checkKeyMatches(files, manager.getPrivateKey(aliases[0]), certificate);
        } catch (GeneralSecurityException e) {
            throw new TlsException(files.keyFile() + ": cannot be checked against " + files.certFile() + ": " + e.getMessage(), e);
        }
        return factory;
    }

    /** Signs a random message with the key and verifies it with the certificate's public key. */
    private static void checkKeyMatches(PemFiles files, PrivateKey key, X509Certificate certificate)
            throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsException(files.keyFile() + ": keys of type " + key.getAlgorithm() + " are not supported");
        };
        byte[] message = new byte[32];
        new SecureRandom().nextBytes(message);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(message);
        if (!verifier.verify(signature)) {
            throw new TlsException(files.keyFile() + " is not the private key of " + files.certFile());
        }
    }

    private static TrustManagerFactory trustManagers(Path file, List<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsException(file + ": cannot be used as trusted CAs: " + e.getMessage(), e);
        }
    }
}
