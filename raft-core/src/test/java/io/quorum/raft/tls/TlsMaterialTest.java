package io.quorum.raft.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

    private static final Authority CA = TestCertificates.authority("test-ca");

    @TempDir
    Path dir;

    @Test
    void loadsACertificateItsKeyAndTheTrustedCa() {
        PemFiles files = CA.issue("n1", List.of("n1", "localhost"), List.of("127.0.0.1")).write(dir, "n1",
                CA.writeCertificate(dir));
        TlsMaterial material = TlsMaterial.load(files);
        assertThat(material.hasCertificate()).isTrue();
        assertThat(material.hasTrustedCa()).isTrue();
        assertThat(CertificateNames.of(material.certificate())).containsExactlyInAnyOrder("n1", "localhost");
        assertThat(material.validityProblem()).isNull();
        assertThat(material.sslContext().getProtocol()).isEqualTo("TLS");
        assertThat(material.keyManagers()).isNotEmpty();
        assertThat(material.trustManagers()).isNotEmpty();
        assertThat(material.describe()).contains("n1");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedNamingBothFiles() throws Exception {
        PemFiles n1 = CA.issue("n1", List.of(), List.of()).write(dir, "n1", null);
        PemFiles n2 = CA.issue("n2", List.of(), List.of()).write(dir, "n2", null);
        PemFiles crossed = new PemFiles(n1.certFile(), n2.keyFile(), null);
        assertThatThrownBy(() -> TlsMaterial.load(crossed)).isInstanceOf(TlsException.class)
                .hasMessageContaining(n2.keyFile().toString()).hasMessageContaining(n1.certFile().toString());
    }

    @Test
    void missingUnreadableAndNonPemFilesAreRefusedNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        PemFiles good = CA.issue("n1", List.of(), List.of()).write(dir, "n1", null);
        assertThatThrownBy(() -> TlsMaterial.load(new PemFiles(missing, good.keyFile(), null)))
                .isInstanceOf(TlsException.class).hasMessageContaining(missing + ": no such file");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> TlsMaterial.load(new PemFiles(garbage, good.keyFile(), null)))
                .isInstanceOf(TlsException.class).hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> TlsMaterial.load(new PemFiles(good.certFile(), garbage, null)))
                .isInstanceOf(TlsException.class).hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> TlsMaterial.load(new PemFiles(null, null, garbage)))
                .isInstanceOf(TlsException.class).hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> new PemFiles(good.certFile(), null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExpiredCertificateLoadsButSaysSo() {
        Instant past = Instant.now().minus(Duration.ofDays(2));
        PemFiles files = CA.issue("old", List.of(), List.of(), past, past.plus(Duration.ofDays(1))).write(dir, "old", null);
        assertThat(TlsMaterial.load(files).validityProblem()).contains("expired");
    }

    @Test
    void aTrustOnlyMaterialHasNoCertificateToPresent() {
        TlsMaterial material = TlsMaterial.load(new PemFiles(null, null, CA.writeCertificate(dir)));
        assertThat(material.hasCertificate()).isFalse();
        assertThat(material.certificate()).isNull();
        assertThatThrownBy(material::keyCertOptions).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(material::keyManagers).isInstanceOf(IllegalStateException.class);
        assertThat(material.trustOptions()).isNotNull();
    }
}
