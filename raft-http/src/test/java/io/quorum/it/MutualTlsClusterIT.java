package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.protocol.Message;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.tls.PemFiles;
import io.quorum.raft.tls.TlsMaterial;
import io.quorum.raft.transport.AdminOp;
import io.quorum.raft.transport.PeerCodec;
import io.quorum.raft.transport.PeerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three real processes with mutual TLS on the Raft port and HTTPS with client certificates on the
 * API, certificates minted by the test (a peer CA and an API CA). Writes go through every node;
 * strangers are refused on both ports (no certificate, a certificate of another CA, plain bytes,
 * and a member's own certificate used to speak for another member), while the cluster stays
 * healthy, writable and in the same term; the command line works over TLS. One line per refusal
 * is printed as {@code tls-refusal …} for the record.
 */
class MutualTlsClusterIT {

    @RegisterExtension
    static final ProcessClusterExtension CLUSTER = ProcessClusterExtension.withTls(3);

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PeerCodec CODEC = new PeerCodec();

    @Test
    void writesThroughEveryNodeAreReadFromEveryOther() {
        ProcessCluster cluster = CLUSTER.cluster();
        for (NodeProcess node : cluster.nodes()) {
            Http.Answer put = node.http().put("/v1/kv/tls/through-" + node.id(), "written via " + node.id());
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
        }
        for (NodeProcess reader : cluster.nodes()) {
            for (NodeProcess writer : cluster.nodes()) {
                assertThat(reader.http().get("/v1/kv/tls/through-" + writer.id()).text()).isEqualTo("written via " + writer.id());
            }
        }
    }

    @Test
    void strangersAreRefusedOnBothPortsAndTheClusterStaysHealthyAndInItsTerm() throws Exception {
        ProcessCluster cluster = CLUSTER.cluster();
        ClusterTls tls = cluster.tls();
        NodeProcess leader = cluster.leader();
        NodeProcess target = cluster.anotherThan(leader);
        long term = term(leader);
        Path strangers = tls.dir().resolve("strangers");
        SSLContext noCertificate = TlsMaterial.load(new PemFiles(null, null, tls.peerCaFile())).sslContext();
        SSLContext otherCa = TlsMaterial.load(TestCertificates.authority("rogue-ca").issue(leader.id(), List.of(leader.id()),
                List.of()).write(strangers, "rogue", tls.peerCaFile())).sslContext();
        SSLContext memberCertificate = TlsMaterial.load(tls.peerFiles(leader.id())).sslContext();
        String impersonated = cluster.nodes().stream().filter(n -> n != leader && n != target).findFirst().orElseThrow().id();
        byte[] forgedHeartbeat = CODEC.encode(new PeerMessage.RaftFrame(
                new Message.Heartbeat(impersonated, target.id(), term + 100, 0, 0))).getBytes();
        byte[] forgedRemoval = CODEC.encode(new PeerMessage.ForwardAdmin(impersonated, target.id(), 1,
                AdminOp.REMOVE_MEMBER, leader.id(), "")).getBytes();
        List<String> table = new ArrayList<>();

        double handshakes = metric(target, "quorum_raft_peer_handshakes_failed_total", null);
        raft(target, null, forgedHeartbeat);
        awaitMetric(target, "quorum_raft_peer_handshakes_failed_total", null, handshakes + 1);
        table.add(row("Raft port", "plaintext frame (a heartbeat of term +100)", "refused in the TLS handshake"));

        raft(target, noCertificate, forgedHeartbeat);
        awaitMetric(target, "quorum_raft_peer_handshakes_failed_total", null, handshakes + 2);
        table.add(row("Raft port", "TLS without a client certificate", "refused in the TLS handshake"));

        raft(target, otherCa, forgedHeartbeat);
        awaitMetric(target, "quorum_raft_peer_handshakes_failed_total", null, handshakes + 3);
        table.add(row("Raft port", "certificate for " + leader.id() + " from another CA", "refused in the TLS handshake"));

        double mismatches = metric(target, "quorum_raft_frames_rejected_total", "identity_mismatch");
        raft(target, memberCertificate, concat(forgedHeartbeat, forgedRemoval));
        awaitMetric(target, "quorum_raft_frames_rejected_total", "identity_mismatch", mismatches + 2);
        table.add(row("Raft port", leader.id() + "'s certificate claiming to be " + impersonated
                + " (heartbeat of term +100, removal of " + leader.id() + ")", "both frames dropped, identity_mismatch"));

        for (Api attempt : List.of(
                new Api("plain HTTP", "http", null),
                new Api("HTTPS without a client certificate", "https", TlsMaterial.load(
                        new PemFiles(null, null, tls.client().trustedCaFile())).sslContext()),
                new Api("HTTPS with a client certificate of another CA", "https", TlsMaterial.load(
                        TestCertificates.authority("rogue-api-ca").issue("intruder", List.of(), List.of())
                                .write(strangers, "intruder", tls.client().trustedCaFile())).sslContext()))) {
            assertThat(attempt.refusedBy(target)).as(attempt.name()).isTrue();
            table.add(row("HTTP API", attempt.name() + ": PUT /v1/kv/tls/intruder", "no answer (connection refused in the handshake)"));
        }

        cluster.nodes().forEach(cluster::awaitReady);
        assertThat(cluster.leader()).as("the same leader").isEqualTo(leader);
        assertThat(term(target)).as("no forged term was adopted").isEqualTo(term);
        assertThat(leader.http().get("/v1/cluster").json().path("members")).as("nobody was removed").hasSize(3);
        assertThat(leader.http().get("/v1/kv/tls/intruder").status()).isEqualTo(404);
        for (NodeProcess node : cluster.nodes()) {
            assertThat(node.http().put("/v1/kv/tls/after/" + node.id(), "ok").status()).isEqualTo(200);
        }
        table.forEach(System.out::println);
        System.out.println("tls-refusal after: leader=" + leader.id() + " term=" + term + "->" + term(target)
                + " members=3 ready=3/3 writes-through-every-node=3/3");
    }

    @Test
    void theCommandLineWritesAndReadsOverTls() throws Exception {
        ProcessCluster cluster = CLUSTER.cluster();
        PemFiles client = cluster.tls().client();
        String endpoints = String.join(",", cluster.nodes().stream().map(n -> "https://127.0.0.1:" + n.httpPort()).toList());
        List<String> tlsArgs = List.of("--endpoints", endpoints, "--cacert", client.trustedCaFile().toString(),
                "--cert", client.certFile().toString(), "--key", client.keyFile().toString());
        assertThat(cli(tlsArgs, "kv", "put", "tls/cli", "from the command line")).startsWith("version=1");
        assertThat(cli(tlsArgs, "kv", "get", "tls/cli")).isEqualTo("from the command line");
        assertThat(cli(tlsArgs, "status")).contains("leader");
    }

    /** Runs {@code java -jar quorum.jar <args> <tlsArgs>} and answers its standard output; fails on a non-zero exit. */
    private static String cli(List<String> tlsArgs, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ProcessCluster.jar().toString()));
        command.addAll(List.of(args));
        command.addAll(tlsArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output.strip();
    }

    /** One attempt on a node's HTTPS API that must get no answer. */
    private record Api(String name, String scheme, SSLContext tls) {

        boolean refusedBy(NodeProcess node) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            if (tls != null) {
                builder.sslContext(tls);
            }
            HttpRequest put = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + node.httpPort() + "/v1/kv/tls/intruder"))
                    .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString("x")).build();
            try {
                builder.build().send(put, HttpResponse.BodyHandlers.ofString());
                return false;
            } catch (IOException refused) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Writes {@code frames} to {@code node}'s Raft port, over TLS with {@code tls} or as plain bytes when null. */
    private static void raft(NodeProcess node, SSLContext tls, byte[] frames) throws IOException {
        try (Socket socket = tls == null ? new Socket("127.0.0.1", node.listenPort())
                : tls.getSocketFactory().createSocket("127.0.0.1", node.listenPort())) {
            socket.setSoTimeout(2000);
            try {
                if (socket instanceof SSLSocket ssl) {
                    ssl.startHandshake();
                }
                OutputStream out = socket.getOutputStream();
                out.write(frames);
                out.flush();
                InputStream in = socket.getInputStream();
                in.read();
            } catch (SocketTimeoutException stillOpen) {
                // The node keeps a member's connection open; only its counters tell what it did.
            } catch (IOException refused) {
                // A refused handshake ends the connection; the node's counter says it was refused.
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String row(String port, String who, String answer) {
        return String.format("tls-refusal %-9s | %-88s | %s", port, who, answer);
    }

    private static long term(NodeProcess node) {
        return node.http().get("/v1/cluster").json().path("term").asLong();
    }

    private static void awaitMetric(NodeProcess node, String name, String reason, double atLeast) {
        Await.until(name + (reason == null ? "" : "{" + reason + "}") + " >= " + atLeast + " on " + node.id(), WAIT,
                () -> metric(node, name, reason) >= atLeast);
    }

    /** A counter on {@code node}'s metrics page; {@code reason} picks the {@code reason} label, null for none. */
    private static double metric(NodeProcess node, String name, String reason) {
        String page;
        try {
            page = node.http().get("/metrics").text();
        } catch (UncheckedIOException e) {
            return -1;
        }
        String labels = reason == null ? "" : "\\{reason=\"" + reason + "\"[^}]*\\}";
        Matcher m = Pattern.compile("^" + name + labels + "\\s+(\\S+)$", Pattern.MULTILINE).matcher(page);
        if (!m.find()) {
            throw new AssertionError("no " + name + " " + (reason == null ? "" : reason) + " on " + node.id());
        }
        return Double.parseDouble(m.group(1));
    }
}
