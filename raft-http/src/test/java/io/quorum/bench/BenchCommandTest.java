package io.quorum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code quorum bench}'s options: defaults, the workloads and targets, TLS files, and usage errors (exit 2). */
class BenchCommandTest {

    @TempDir
    static Path dir;
    static String caFile;
    static PemFiles client;

    @BeforeAll
    static void writeCertificates() {
        Authority ca = TestCertificates.authority("bench-ca");
        caFile = ca.writeCertificate(dir).toString();
        client = ca.issue("bench", List.of(), List.of()).write(dir, "client", null);
    }

    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: bench");
        return err.toString();
    }

    private static BenchOptions parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command.options();
    }

    @Test
    void defaults() {
        BenchOptions o = parse("put");
        assertThat(o.target()).isEqualTo(TargetKind.QUORUM);
        assertThat(o.endpoints()).containsExactly("http://127.0.0.1:7001");
        assertThat(o.workload()).isEqualTo(Workload.PUT);
        assertThat(o.clients()).isEqualTo(16);
        assertThat(o.connections()).isEqualTo(16);
        assertThat(o.total()).isZero();
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.keySize()).isEqualTo(8);
        assertThat(o.valueSize()).isEqualTo(256);
        assertThat(o.keySpace()).isEqualTo(10_000);
        assertThat(o.stale()).isFalse();
        assertThat(o.readFraction()).isEqualTo(0.9);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyOptionOfTheIssue() {
        BenchOptions o = parse("get", "--target", "etcd", "--endpoints", "http://127.0.0.1:2379, http://127.0.0.1:22379",
                "--clients", "64", "--connections", "8", "--total", "1000", "--warmup", "500ms", "--key-size", "16",
                "--value-size", "1024", "--key-space", "100", "--stale", "--label", "W3");
        assertThat(o.target()).isEqualTo(TargetKind.ETCD);
        assertThat(o.endpoints()).containsExactly("http://127.0.0.1:2379", "http://127.0.0.1:22379");
        assertThat(o.clients()).isEqualTo(64);
        assertThat(o.connections()).isEqualTo(8);
        assertThat(o.total()).isEqualTo(1000);
        assertThat(o.duration()).isEqualTo(Duration.ZERO);
        assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.keySize()).isEqualTo(16);
        assertThat(o.valueSize()).isEqualTo(1024);
        assertThat(o.keySpace()).isEqualTo(100);
        assertThat(o.stale()).isTrue();
        assertThat(o.label()).isEqualTo("W3");
    }

    @Test
    void eachTargetHasItsOwnDefaultEndpoints() {
        assertThat(parse("put", "--target", "etcd").endpoints()).containsExactly("http://127.0.0.1:2379");
        assertThat(parse("put", "--target", "zookeeper").endpoints()).containsExactly("127.0.0.1:2181");
    }

    @Test
    void etcdDefaultsToOneGrpcChannelPerEndpointTheOthersToOneConnectionPerClient() {
        assertThat(parse("put", "--target", "etcd", "--clients", "64", "--endpoints",
                "127.0.0.1:12371,127.0.0.1:12372,127.0.0.1:12373").connections()).isEqualTo(3);
        assertThat(parse("put", "--target", "etcd", "--clients", "64").connections()).isEqualTo(1);
        assertThat(parse("put", "--target", "zookeeper", "--clients", "64").connections()).isEqualTo(64);
        assertThat(parse("put", "--target", "etcd", "--clients", "64", "--connections", "8").connections()).isEqualTo(8);
    }

    @Test
    void everyWorkloadByItsName() {
        assertThat(List.of("put", "get", "lock-cycle", "lock-contended", "mixed").stream()
                .map(w -> parse(w, "--duration", "10s").workload()))
                .containsExactly(Workload.PUT, Workload.GET, Workload.LOCK_CYCLE, Workload.LOCK_CONTENDED, Workload.MIXED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"put --clients 0", "put --clients x", "put --connections 0", "put --total 5 --duration 5s",
            "put --total -1", "put --duration soon", "put --warmup -1s", "write", "put --target consul",
            "put --key-size 0", "put --key-size 2 --key-space 1000", "put --value-size -1", "mixed --read-fraction 1.5",
            "put --timeout 0", "put --endpoints ,", "", "put extra"})
    void badValuesAreUsageErrorsWithExitStatus2(String args) {
        usageError(args.isEmpty() ? new String[0] : args.split(" "));
    }

    @Test
    void httpsEndpointsWithTheCaAndAClientCertificate() {
        String cert = client.certFile().toString();
        String key = client.keyFile().toString();
        BenchOptions quorum = parse("put", "--endpoints", "https://127.0.0.1:7001,https://127.0.0.1:7002",
                "--cacert", caFile, "--cert", cert, "--key", key);
        assertThat(quorum.encrypted()).isTrue();
        assertThat(quorum.tls().hasTrustedCa()).isTrue();
        assertThat(quorum.tls().hasCertificate()).isTrue();
        assertThat(quorum.tls().files().certFile()).isEqualTo(client.certFile());

        BenchOptions etcd = parse("put", "--target", "etcd", "--endpoints", "https://127.0.0.1:2379", "--cacert", caFile);
        assertThat(etcd.encrypted()).isTrue();
        assertThat(etcd.tls().hasCertificate()).isFalse();

        BenchOptions trustStore = parse("put", "--endpoints", "https://127.0.0.1:7001");
        assertThat(trustStore.encrypted()).isTrue();
        assertThat(trustStore.tls()).as("the JVM's trust store, no client certificate").isNull();
        assertThat(parse("put").encrypted()).isFalse();
    }

    @Test
    void tlsFilesThatCannotBeUsedOrDoNotFitTheEndpointsAreUsageErrors() {
        String https = "https://127.0.0.1:7001";
        assertThat(usageError("put", "--endpoints", https, "--cert", client.certFile().toString()))
                .contains("--key is missing: --cert and --key go together");
        assertThat(usageError("put", "--endpoints", https, "--cacert", dir.resolve("nope.pem").toString()))
                .contains("nope.pem: no such file");
        assertThat(usageError("put", "--endpoints", https, "--cert", caFile, "--key", client.keyFile().toString()))
                .as("a key that is not the certificate's").contains(client.keyFile().toString());
        assertThat(usageError("put", "--cacert", caFile))
                .contains("--cacert, --cert and --key are for https:// endpoints; --endpoints names none");
        assertThat(usageError("put", "--endpoints", https + ",http://127.0.0.1:7002"))
                .contains("--endpoints mixes http:// and https://");
        assertThat(usageError("put", "--target", "zookeeper", "--endpoints", "https://127.0.0.1:2181"))
                .contains("the zookeeper target speaks plaintext only");
        assertThat(usageError("put", "--target", "zookeeper", "--cacert", caFile))
                .contains("the zookeeper target speaks plaintext only");
    }

    @Test
    void aTargetThatDoesNotAnswerIsExitStatus1() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err));
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        try {
            // Port 1 on loopback: nothing listens there, so opening a lock session is refused at once.
            int status = cli.execute("lock-cycle", "--endpoints", "http://127.0.0.1:1", "--clients", "1",
                    "--total", "1", "--warmup", "0s");
            assertThat(status).isEqualTo(1);
        } finally {
            System.setErr(stderr);
        }
    }
}
