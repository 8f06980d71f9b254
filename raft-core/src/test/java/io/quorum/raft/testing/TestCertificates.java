package io.quorum.raft.testing;

import io.quorum.raft.tls.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for the TLS tests, minted in memory with BouncyCastle and written as the PEM files
 * a node is given: a CA ({@link #authority}), and certificates it issues ({@link Authority#issue})
 * for a member id or a client, with DNS and IP subject alternative names, valid from an hour ago
 * for a day unless a test asks otherwise. Keys are EC P-256, written as PKCS#8.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A new self-signed CA whose subject is {@code CN=<name>}. */
    public static Authority authority(String name) {
        KeyPair keys = ecKeys();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Authority(name, keys, sign(builder, keys));
    }

    /** A CA and the key it signs with. */
    public record Authority(String name, KeyPair keys, X509Certificate certificate) {

        /**
         * A certificate for {@code commonName} with DNS names {@code dnsNames} and, as IP SANs, those
         * of {@code ipAddresses}; usable as both server and client certificate.
         */
        public Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses) {
            Instant now = Instant.now();
            return issue(commonName, dnsNames, ipAddresses, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        }

        /** As {@link #issue(String, List, List)}, valid from {@code notBefore} to {@code notAfter}. */
        public Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses, Instant notBefore,
                            Instant notAfter) {
            KeyPair keys = ecKeys();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
                    serial(), Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                if (!names.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Issued(sign(builder, this.keys), keys);
        }

        /** The CA certificate as {@code dir/<name>-ca.pem}. */
        public Path writeCertificate(Path dir) {
            return writeFile(dir.resolve(name + "-ca.pem"), pem("CERTIFICATE", encoded(certificate)));
        }
    }

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        /** {@code dir/<base>.pem} and {@code dir/<base>-key.pem}, with {@code trustedCa} as the CA file (may be null). */
        public PemFiles write(Path dir, String base, Path trustedCa) {
            Path cert = writeFile(dir.resolve(base + ".pem"), pem("CERTIFICATE", encoded(certificate)));
            Path key = writeFile(dir.resolve(base + "-key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return new PemFiles(cert, key, trustedCa);
        }
    }

    /** The loopback names a local server certificate carries: DNS localhost, IP 127.0.0.1. */
    public static Issued localServer(Authority ca, String commonName) {
        return ca.issue(commonName, List.of(commonName, "localhost"), List.of("127.0.0.1"));
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static Path writeFile(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
