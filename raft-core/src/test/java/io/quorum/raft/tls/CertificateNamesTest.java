package io.quorum.raft.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.testing.TestCertificates;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateNamesTest {

    private static final TestCertificates.Authority CA = TestCertificates.authority("names-ca");

    @Test
    void commonNameAndDnsSansButNotIpAddresses() {
        assertThat(CertificateNames.of(CA.issue("n1", List.of("n1.quorum.svc", "localhost"), List.of("127.0.0.1"))
                .certificate())).containsExactlyInAnyOrder("n1", "n1.quorum.svc", "localhost");
    }

    @Test
    void aCertificateWithoutSansNamesItsCommonName() {
        assertThat(CertificateNames.of(CA.issue("client", List.of(), List.of()).certificate())).containsExactly("client");
    }
}
