package io.quorum.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorum.http.HttpsNode;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link QuorumTarget} over HTTPS against a single node in this JVM that serves HTTPS and requires
 * client certificates: the operations of every workload with {@code --cacert --cert --key}, a whole
 * {@code quorum bench} run, and the refusals without a client certificate or with another CA.
 */
class QuorumTargetTlsTest {

    private static final Authority CA = TestCertificates.authority("bench-https-ca");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static HttpsNode node;
    static PemFiles client;

    @BeforeAll
    static void startNode() throws Exception {
        node = HttpsNode.start(dir, CA);
        client = CA.issue("bench", List.of(), List.of()).write(dir.resolve("client"), "bench", node.caFile());
        Await.until("n1 leads", WAIT, () -> node.server().service().leaderDutiesActive());
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    /** {@code workload} against the node, trusting {@code ca}, with {@code more} options. */
    private static String[] args(Path ca, String workload, String... more) {
        List<String> all = new ArrayList<>(List.of(workload, "--endpoints", node.endpoint(), "--clients", "2",
                "--timeout", "10s", "--cacert", ca.toString()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static Target open(String... args) throws InterruptedException {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return Targets.open(command.options());
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void putsGetsAndLocksOverHttpsWithTheCaAndAClientCertificate() throws Exception {
        try (Target target = open(args(node.caFile(), "put", "--cert", client.certFile().toString(), "--key",
                client.keyFile().toString()))) {
            await(target.put(0, "k1", "over https".getBytes(StandardCharsets.UTF_8)));
            await(target.get(1, "k1", false));
            await(target.get(0, "k1", true));
            Target.Locker locker = await(target.locker(1));
            await(locker.acquire("l1"));
            await(locker.release("l1"));
            await(locker.close());
        }
    }

    @Test
    void aWholeRunReportsTlsAndNoErrors() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        int status;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            status = cli.execute(args(node.caFile(), "put", "--cert", client.certFile().toString(), "--key",
                    client.keyFile().toString(), "--total", "40", "--warmup", "0s", "--json"));
        } finally {
            System.setOut(out);
        }

        assertThat(status).isZero();
        JsonNode report = new ObjectMapper().readTree(printed.toString(StandardCharsets.UTF_8));
        assertThat(report.path("tls").asBoolean()).isTrue();
        assertThat(report.path("operations").asLong()).isEqualTo(40);
        assertThat(report.path("errors").size()).isZero();
    }

    @Test
    void withoutAClientCertificateTheNodeRefusesTheOperation() throws Exception {
        try (Target target = open(args(node.caFile(), "put"))) {
            assertThatThrownBy(() -> await(target.put(0, "k2", new byte[8])))
                    .satisfies(failure -> assertThat(BenchFailure.kindOf(failure)).startsWith("tls"));
        }
    }

    @Test
    void aNodeWhoseCertificateIsFromAnotherCaIsRefused() throws Exception {
        Path otherCa = TestCertificates.authority("other-ca").writeCertificate(dir.resolve("other"));
        try (Target target = open(args(otherCa, "put", "--cert", client.certFile().toString(), "--key",
                client.keyFile().toString()))) {
            assertThatThrownBy(() -> await(target.put(0, "k3", new byte[8])))
                    .hasStackTraceContaining("PKIX path building failed")
                    .satisfies(failure -> assertThat(BenchFailure.kindOf(failure)).startsWith("tls"));
        }
    }
}
