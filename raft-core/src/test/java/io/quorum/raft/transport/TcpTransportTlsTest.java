package io.quorum.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.CertificateNames;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TcpTransport} with mutual TLS on loopback: members exchange frames; a plaintext dialer, a
 * certificate from another CA and garbage are refused in the handshake; a member's certificate
 * cannot speak for another member; a dialed address whose certificate names someone else gets
 * nothing; renewed certificate files are used by new connections.
 */
class TcpTransportTlsTest {

    private static final String HOST = "127.0.0.1";
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Authority CA = TestCertificates.authority("peer-ca");
    private static final Authority ROGUE = TestCertificates.authority("rogue-ca");

    private final Vertx vertx = Vertx.vertx();
    private final List<TcpTransport> transports = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() {
        transports.forEach(t -> Await.result(t.close()));
        Await.result(vertx.close());
    }

    @Test
    void membersWithCertificatesExchangeFramesOverMutualTls() {
        Queue<PeerMessage> atA = new ConcurrentLinkedQueue<>();
        Queue<PeerMessage> atB = new ConcurrentLinkedQueue<>();
        TcpTransport a = started("a", tls(CA, "a"), atA::add);
        TcpTransport b = started("b", tls(CA, "b"), atB::add);
        a.setPeers(Map.of("b", address(b)));
        b.setPeers(Map.of("a", address(a)));
        for (int i = 0; i < 100; i++) {
            a.send(LocalTransportTest.heartbeat("a", "b", i));
            b.send(LocalTransportTest.heartbeat("b", "a", i));
        }
        Await.until(DEADLINE, () -> atA.size() == 100 && atB.size() == 100, () -> "a: " + a.stats() + "; b: " + b.stats());
        assertThat(atB).extracting(TcpTransportTest::sequence).isSorted();
        assertThat(b.stats().handshakeFailures()).isZero();
    }

    @Test
    void aPlaintextDialerACertificateFromAnotherCaAndGarbageAreRefusedInTheHandshake() throws IOException {
        Queue<PeerMessage> atB = new ConcurrentLinkedQueue<>();
        TcpTransport b = started("b", tls(CA, "b"), atB::add);
        TcpTransport plain = started("a", null, m -> { });
        // Signed by another CA, but trusting b's: only b's check of the client certificate stops it.
        TlsMaterial rogue = TlsMaterial.load(ROGUE.issue("c", List.of(), List.of())
                .write(dir.resolve("rogue"), "c", CA.writeCertificate(dir.resolve("rogue"))));
        TcpTransport impostor = started("c", PeerTls.of(rogue), m -> { });
        b.setPeers(Map.of("a", HOST + ":1", "c", HOST + ":1"));
        plain.setPeers(Map.of("b", address(b)));
        impostor.setPeers(Map.of("b", address(b)));
        plain.send(LocalTransportTest.heartbeat("a", "b", 1));
        impostor.send(LocalTransportTest.heartbeat("c", "b", 1));
        try (Socket raw = new Socket(HOST, b.port())) {
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {0, 0, 0, 8, 1, 5, 0, 0, 0, 0, 0, 0});
            out.flush();
            Await.until(DEADLINE, () -> b.stats().handshakeFailures() >= 3, () -> "b refused all three: " + b.stats());
        }
        assertThat(atB).isEmpty();
        assertThat(b.stats().received()).isZero();
    }

    @Test
    void aMembersCertificateCannotSpeakForAnotherMember() {
        Queue<PeerMessage> atB = new ConcurrentLinkedQueue<>();
        TcpTransport a = started("a", tls(CA, "a"), m -> { });
        TcpTransport b = started("b", tls(CA, "b"), atB::add);
        b.setPeers(Map.of("a", HOST + ":1", "c", HOST + ":1"));
        a.setPeers(Map.of("b", address(b)));
        a.send(LocalTransportTest.heartbeat("c", "b", 1));
        a.send(new PeerMessage.ForwardProposal("c", "b", 2, new byte[] {1}));
        a.send(LocalTransportTest.heartbeat("a", "b", 3));
        Await.until(DEADLINE, () -> atB.size() == 1, () -> "a's own frame arrives: " + b.stats());
        assertThat(TcpTransportTest.sequence(atB.peek())).isEqualTo(3);
        assertThat(b.stats().rejected(FrameRejection.IDENTITY_MISMATCH)).isEqualTo(2);
    }

    @Test
    void aDialedPeerWhoseCertificateNamesAnotherMemberGetsNothing() {
        Queue<PeerMessage> atC = new ConcurrentLinkedQueue<>();
        TcpTransport a = started("a", tls(CA, "a"), m -> { });
        TcpTransport c = started("c", tls(CA, "c"), atC::add);
        c.setPeers(Map.of("a", address(a)));
        // a's configuration says b lives where c listens.
        a.setPeers(Map.of("b", address(c)));
        a.send(new PeerMessage.ForwardProposal("a", "b", 1, new byte[] {1}));
        Await.until(DEADLINE, () -> a.stats().connectFailures() >= 1, () -> "a refuses c's certificate: " + a.stats());
        assertThat(atC).isEmpty();
        assertThat(a.stats().sent()).isZero();
    }

    @Test
    void renewedCertificateFilesAreUsedByNewConnectionsWithoutARestart() throws Exception {
        Path bDir = dir.resolve("b");
        PemFiles files = TestCertificates.localServer(CA, "b").write(bDir, "b", CA.writeCertificate(bDir));
        TcpTransport b = started("b", new PeerTls(TlsMaterial.load(files), Duration.ofMillis(50)), m -> { });
        TlsMaterial client = TlsMaterial.load(CA.issue("a", List.of(), List.of()).write(dir.resolve("a"), "a",
                CA.writeCertificate(dir.resolve("a"))));
        assertThat(serverNames(b, client)).doesNotContain("renewed");

        PemFiles renewal = CA.issue("b", List.of("b", "renewed"), List.of()).write(dir.resolve("next"), "b", null);
        Path staged = Files.copy(renewal.keyFile(), bDir.resolve("key.tmp"));
        Files.move(staged, files.keyFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.copy(renewal.certFile(), files.certFile(), StandardCopyOption.REPLACE_EXISTING);
        Await.until(DEADLINE, () -> serverNames(b, client).contains("renewed"), () -> "b serves its renewed certificate");
    }

    /** The names of the certificate {@code transport} presents to a new TLS connection from {@code client}. */
    private static Set<String> serverNames(TcpTransport transport, TlsMaterial client) {
        try (SSLSocket socket = (SSLSocket) client.sslContext().getSocketFactory().createSocket(HOST, transport.port())) {
            socket.startHandshake();
            return CertificateNames.of((X509Certificate) socket.getSession().getPeerCertificates()[0]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private PeerTls tls(Authority ca, String id) {
        Path memberDir = dir.resolve(id + "-" + ca.name());
        return PeerTls.of(TlsMaterial.load(ca.issue(id, List.of(), List.of()).write(memberDir, id,
                CA.writeCertificate(memberDir))));
    }

    private TcpTransport started(String id, PeerTls tls, java.util.function.Consumer<PeerMessage> inbound) {
        TransportConfig config = TransportConfig.defaults(id, HOST, 0)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).withTls(tls);
        TcpTransport t = new TcpTransport(vertx, config, inbound, new SplittableRandom(id.hashCode()));
        transports.add(t);
        Await.result(t.start());
        return t;
    }

    private static String address(TcpTransport t) {
        return HOST + ":" + t.port();
    }
}
