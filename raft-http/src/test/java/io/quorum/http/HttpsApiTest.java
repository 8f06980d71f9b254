package io.quorum.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorum.client.ClientOptions;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.CertificateNames;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API over HTTPS with client certificates required ({@code --cert-file --key-file
 * --trusted-ca-file --client-cert-auth}), used through the Java client: who gets in, who is
 * refused and how the refusal reads, and a renewed server certificate picked up without a restart.
 */
class HttpsApiTest {

    private static final Authority CA = TestCertificates.authority("api-ca");
    private static final Authority ROGUE = TestCertificates.authority("rogue-ca");

    @TempDir
    static Path dir;
    static Path caFile;
    static PemFiles serverFiles;
    static QuorumServer server;
    static String endpoint;

    @BeforeAll
    static void startNode() throws Exception {
        HttpsNode node = HttpsNode.start(dir, CA, Duration.ofMillis(50));
        caFile = node.caFile();
        serverFiles = node.serverFiles();
        server = node.server();
        endpoint = node.endpoint();
    }

    @AfterAll
    static void stopNode() {
        server.close();
    }

    private static QuorumClient client(TlsMaterial tls) {
        return QuorumClient.of(QuorumClient.parseEndpoints(endpoint),
                ClientOptions.DEFAULTS.withMaxAttempts(1).withRequestTimeout(Duration.ofSeconds(5)).withTls(tls));
    }

    private static TlsMaterial clientMaterial(Authority issuer, String name) {
        Path clientDir = dir.resolve("client-" + issuer.name() + "-" + name);
        return TlsMaterial.load(issuer.issue(name, List.of(), List.of()).write(clientDir, name, caFile));
    }

    @Test
    void aClientWithTheCaAndACertificateWritesAndReads() {
        QuorumClient client = client(clientMaterial(CA, "app"));
        client.put("tls/greeting", "hello over TLS".getBytes(StandardCharsets.UTF_8));
        assertThat(client.get("tls/greeting")).map(kv -> new String(kv.value(), StandardCharsets.UTF_8))
                .contains("hello over TLS");
    }

    @Test
    void clientsWithoutACertificateOrWithAnotherCasAreRefusedAndToldNothingWasApplied() {
        TlsMaterial trustOnly = TlsMaterial.load(new PemFiles(null, null, caFile));
        for (TlsMaterial refused : List.of(trustOnly, clientMaterial(ROGUE, "intruder"))) {
            assertThatThrownBy(() -> client(refused).put("tls/refused", new byte[] {1}))
                    .isInstanceOfSatisfying(QuorumException.class, e -> {
                        assertThat(e.code()).isEqualTo("UNAVAILABLE");
                        assertThat(e.notApplied()).as(e.getMessage()).isTrue();
                    });
        }
        assertThat(client(clientMaterial(CA, "app")).get("tls/refused")).isEmpty();
    }

    @Test
    void aClientThatDoesNotTrustTheServersCaIsToldWhatToCheck() {
        TlsMaterial otherTrust = TlsMaterial.load(new PemFiles(null, null, ROGUE.writeCertificate(dir.resolve("rogue"))));
        assertThatThrownBy(() -> client(otherTrust).get("tls/x"))
                .isInstanceOfSatisfying(QuorumException.class, e -> {
                    assertThat(e.code()).isEqualTo("UNAVAILABLE");
                    assertThat(e.getMessage()).contains("TLS handshake").contains("--cacert");
                });
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoAnswer() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aRenewedServerCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        TlsMaterial client = clientMaterial(CA, "watcher");
        assertThat(serverNames(client)).doesNotContain("renewed.example");
        PemFiles renewal = CA.issue("n1", List.of("n1", "localhost", "renewed.example"), List.of("127.0.0.1"))
                .write(dir.resolve("renewal"), "n1", null);
        Files.copy(renewal.keyFile(), serverFiles.keyFile(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewal.certFile(), serverFiles.certFile(), StandardCopyOption.REPLACE_EXISTING);
        Await.until("the renewed certificate is served", Duration.ofSeconds(10),
                () -> serverNames(client).contains("renewed.example"));
        assertThat(client(client).get("tls/after-renewal")).isEmpty();
    }

    private static Set<String> serverNames(TlsMaterial client) {
        try (SSLSocket socket = (SSLSocket) client.sslContext().getSocketFactory()
                .createSocket("127.0.0.1", server.httpPort())) {
            socket.startHandshake();
            return CertificateNames.of((X509Certificate) socket.getSession().getPeerCertificates()[0]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
