package io.quorum.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quorum.client.ClientOptions;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.http.QuorumServer;
import io.quorum.http.TestCluster;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FreePorts;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import io.quorum.server.TlsSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/docker/ready.sh, the image's health check and the Kubernetes probes, run for real against
 * nodes in this JVM: one on plain HTTP (bash's {@code /dev/tcp}) and one on HTTPS that requires
 * client certificates (curl with {@code QUORUM_CACERT}, {@code QUORUM_CERT}, {@code QUORUM_KEY}),
 * configured as the compose file and the StatefulSet configure it: two CAs, the node's certificate
 * naming localhost. Skipped where bash or curl is missing.
 */
class ReadyScriptTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Authority PEER_CA = TestCertificates.authority("ready-peer-ca");
    private static final Authority CLIENT_CA = TestCertificates.authority("ready-client-ca");
    private static final DeployFiles FILES = DeployFiles.locate();

    @TempDir
    static Path dir;
    static QuorumServer plain;
    static QuorumServer https;
    static Path peerCa;
    static PemFiles node;
    static PemFiles probe;

    @BeforeAll
    static void startNodes() throws Exception {
        assumeTrue(DeployFiles.installed("bash") && DeployFiles.installed("curl"), "bash and curl run ready.sh");
        peerCa = PEER_CA.writeCertificate(dir.resolve("tls"));
        Path clientCa = CLIENT_CA.writeCertificate(dir.resolve("tls"));
        node = TestCertificates.localServer(PEER_CA, "n1").write(dir.resolve("tls"), "n1", clientCa);
        probe = CLIENT_CA.issue("quorum-probe", List.of(), List.of()).write(dir.resolve("tls"), "probe", peerCa);
        plain = TestCluster.startSingle(dir.resolve("plain"), TlsSettings.NONE);
        https = TestCluster.startSingle(dir.resolve("https"),
                TlsSettings.fromFlags(null, null, null, node.certFile(), node.keyFile(), clientCa, true));
        awaitReady(QuorumClient.of(List.of(URI.create("http://127.0.0.1:" + plain.httpPort())), ClientOptions.DEFAULTS));
        awaitReady(QuorumClient.of(List.of(URI.create("https://localhost:" + https.httpPort())),
                ClientOptions.DEFAULTS.withTls(TlsMaterial.load(probe))));
    }

    private static void awaitReady(QuorumClient client) {
        Await.until("the node is ready", DEADLINE, () -> {
            try {
                return client.ready();
            } catch (QuorumException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopNodes() {
        for (QuorumServer server : new QuorumServer[] {plain, https}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void plainHttpReadyAndHealthPassOnTheAddressOfEveryInterface() throws Exception {
        Map<String, String> env = Map.of("QUORUM_HTTP_ADDR", "0.0.0.0:" + plain.httpPort());
        assertThat(readySh(env)).isEqualTo(0);
        assertThat(readySh(env, "/health")).isEqualTo(0);
        assertThat(readySh(env, "/v1/kv/no-such-key")).as("a 404").isNotEqualTo(0);
    }

    @Test
    void nothingListeningFails() throws Exception {
        assertThat(readySh(Map.of("QUORUM_HTTP_ADDR", "127.0.0.1:" + FreePorts.next()))).isNotEqualTo(0);
    }

    @Test
    void httpsPassesWithTheProbesCertificateAndTheNodesCa() throws Exception {
        Map<String, String> env = httpsEnvironment();
        assertThat(readySh(env)).isEqualTo(0);
        assertThat(readySh(env, "/health")).isEqualTo(0);
        assertThat(readySh(env, "/v1/kv/no-such-key")).as("a 404").isNotEqualTo(0);
    }

    @Test
    void httpsFailsWithoutAClientCertificate() throws Exception {
        Map<String, String> env = httpsEnvironment();
        env.remove("QUORUM_CERT");
        env.remove("QUORUM_KEY");
        assertThat(readySh(env)).isNotEqualTo(0);
    }

    @Test
    void httpsFailsWhenTheNodesCertificateIsNotFromTheExpectedCa() throws Exception {
        Map<String, String> env = httpsEnvironment();
        env.put("QUORUM_CACERT", node.trustedCaFile().toString());
        assertThat(readySh(env)).isNotEqualTo(0);
    }

    /** What the StatefulSet and the compose file give a node that serves HTTPS with client certificates. */
    private static Map<String, String> httpsEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("QUORUM_HTTP_ADDR", "0.0.0.0:" + https.httpPort());
        env.put("QUORUM_CERT_FILE", node.certFile().toString());
        env.put("QUORUM_CACERT", peerCa.toString());
        env.put("QUORUM_CERT", probe.certFile().toString());
        env.put("QUORUM_KEY", probe.keyFile().toString());
        return env;
    }

    /** The exit status of {@code ready.sh args} with {@code env} as its only QUORUM_* variables. */
    private static int readySh(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", FILES.path("deploy/docker/ready.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("QUORUM_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("ready.sh finished: %s", output).isTrue();
        return process.exitValue();
    }
}
