package io.quorum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.http.HttpsNode;
import io.quorum.http.QuorumServer;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a node that serves HTTPS and requires client certificates: {@code --cacert --cert --key} and their QUORUM_* variables. */
class TlsCommandsTest {

    private static final Authority CA = TestCertificates.authority("cli-ca");

    @TempDir
    static Path dir;
    static QuorumServer server;
    static String endpoint;
    static Path caFile;
    static PemFiles client;

    @BeforeAll
    static void startNode() throws Exception {
        HttpsNode node = HttpsNode.start(dir, CA);
        server = node.server();
        endpoint = node.endpoint();
        caFile = node.caFile();
        client = CA.issue("cli", List.of(), List.of()).write(dir.resolve("client"), "cli", caFile);
    }

    @AfterAll
    static void stopNode() {
        server.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run quorum(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoints=" + endpoint);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exit = Main.commandLine(env).execute(all.toArray(String[]::new));
            return new Run(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void kvPutAndGetWithTheCaAndAClientCertificate() {
        Run put = quorum(Map.of(), "kv", "put", "tls/cli", "over https", "--cacert", caFile.toString(),
                "--cert", client.certFile().toString(), "--key", client.keyFile().toString());
        assertThat(put.exit()).as(put.err()).isZero();
        Run get = quorum(Map.of(), "kv", "get", "tls/cli", "--cacert", caFile.toString(),
                "--cert", client.certFile().toString(), "--key", client.keyFile().toString());
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(get.out()).isEqualTo("over https");
    }

    @Test
    void theTlsFilesAlsoComeFromTheEnvironment() {
        Run status = quorum(Map.of("QUORUM_CACERT", caFile.toString(), "QUORUM_CERT", client.certFile().toString(),
                "QUORUM_KEY", client.keyFile().toString()), "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("n1").contains("leader");
    }

    @Test
    void withoutAClientCertificateTheCommandFailsWithTheHandshakeAndWhatToCheck() {
        Run get = quorum(Map.of(), "kv", "get", "tls/cli", "--cacert", caFile.toString());
        assertThat(get.exit()).isEqualTo(1);
        assertThat(get.err()).startsWith("quorum: UNAVAILABLE: TLS handshake with " + endpoint).contains("--cert/--key");
    }

    @Test
    void aCertificateWithoutItsKeyOrAMissingFileIsAUsageError() {
        Run half = quorum(Map.of(), "kv", "get", "tls/cli", "--cacert", caFile.toString(), "--cert", client.certFile().toString());
        assertThat(half.exit()).isEqualTo(2);
        assertThat(half.err()).contains("--key is missing");
        Run missing = quorum(Map.of(), "kv", "get", "tls/cli", "--cacert", dir.resolve("nope.pem").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.pem: no such file");
    }
}
