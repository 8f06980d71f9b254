package io.quorum.raft.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a TLS endpoint's PEM files are: its certificate (chain), its private key, and the CA
 * certificates it trusts. Each may be absent: a server without client authentication has no CA
 * file, a client that presents no certificate has no certificate or key. The files are read by
 * {@link TlsMaterial#load}, again by a {@link CertificateReloader} when they change.
 *
 * @param certFile      the certificate, then any intermediates, PEM; null for none
 * @param keyFile       the private key of the certificate, unencrypted PEM (PKCS#8, PKCS#1 RSA or
 *                      SEC1 EC); null for none
 * @param trustedCaFile the CA certificates that the other side's certificate must chain to, PEM;
 *                      null for the JVM's default trust store (a client) or no client certificates (a server)
 */
public record PemFiles(Path certFile, Path keyFile, Path trustedCaFile) {

    public PemFiles {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a certificate needs its key and a key its certificate");
        }
    }

    /** The bytes of the three files as they are now; null for an absent one. */
    Contents read() {
        return new Contents(readOrNull(certFile), readOrNull(keyFile), readOrNull(trustedCaFile));
    }

    private static byte[] readOrNull(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException(file + ": no such file");
        } catch (IOException e) {
            throw new TlsException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** The files' bytes at one moment, compared by content to tell a renewal from no change. */
    record Contents(byte[] cert, byte[] key, byte[] trustedCa) {

        boolean sameAs(Contents other) {
            return other != null && java.util.Arrays.equals(cert, other.cert) && java.util.Arrays.equals(key, other.key)
                    && java.util.Arrays.equals(trustedCa, other.trustedCa);
        }
    }
}
