package io.quorum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.bench.BenchCommand;
import io.quorum.bench.BenchOptions;
import io.quorum.raft.testing.TestCertificates;
import io.quorum.raft.testing.TestCertificates.Authority;
import io.quorum.raft.tls.PemFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code quorum bench} as Main registers it: QUORUM_ENDPOINTS, QUORUM_CACERT, QUORUM_CERT and
 * QUORUM_KEY are defaults for the quorum target only.
 */
class BenchCommandLineTest {

    @TempDir
    Path dir;

    private static BenchOptions optionsOf(Map<String, String> environment, String... args) {
        CommandLine main = Main.commandLine(environment);
        CommandLine.ParseResult parsed = main.parseArgs(args);
        BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();
        return bench.options();
    }

    private static String endpointsOf(Map<String, String> environment, String... args) {
        return String.join(",", optionsOf(environment, args).endpoints());
    }

    @Test
    void quorumEndpointsFromTheEnvironmentApplyToTheQuorumTargetOnly() {
        Map<String, String> env = Map.of("QUORUM_ENDPOINTS", "http://127.0.0.1:7002");
        assertThat(endpointsOf(env, "bench", "put")).isEqualTo("http://127.0.0.1:7002");
        assertThat(endpointsOf(env, "bench", "put", "--target", "etcd")).isEqualTo("http://127.0.0.1:2379");
        assertThat(endpointsOf(env, "bench", "put", "--target", "etcd", "--endpoints", "http://127.0.0.1:12379"))
                .isEqualTo("http://127.0.0.1:12379");
    }

    @Test
    void tlsFilesFromTheEnvironmentApplyToTheQuorumTargetOnly() {
        Authority ca = TestCertificates.authority("env-ca");
        PemFiles client = ca.issue("bench", List.of(), List.of()).write(dir, "client", ca.writeCertificate(dir));
        Map<String, String> env = Map.of("QUORUM_ENDPOINTS", "https://127.0.0.1:7002",
                "QUORUM_CACERT", client.trustedCaFile().toString(), "QUORUM_CERT", client.certFile().toString(),
                "QUORUM_KEY", client.keyFile().toString());

        BenchOptions quorum = optionsOf(env, "bench", "put");
        assertThat(quorum.tls().files()).isEqualTo(client);
        BenchOptions etcd = optionsOf(env, "bench", "put", "--target", "etcd", "--endpoints", "https://127.0.0.1:2379");
        assertThat(etcd.tls()).as("etcd's CA is not Quorum's").isNull();
        BenchOptions etcdTyped = optionsOf(env, "bench", "put", "--target", "etcd", "--endpoints", "https://127.0.0.1:2379",
                "--cacert", client.trustedCaFile().toString());
        assertThat(etcdTyped.tls().hasTrustedCa()).isTrue();
        assertThat(etcdTyped.tls().hasCertificate()).isFalse();
    }

    @Test
    void aUsageErrorThroughMainIsExitStatus2() {
        CommandLine main = Main.commandLine(Map.of());
        main.setErr(new PrintWriter(new StringWriter()));
        assertThat(main.execute("bench", "put", "--clients", "-3")).isEqualTo(2);
    }
}
