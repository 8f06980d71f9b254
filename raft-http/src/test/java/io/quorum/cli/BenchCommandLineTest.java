package io.quorum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.bench.BenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code quorum bench} as Main registers it: QUORUM_ENDPOINTS is Quorum's default only. */
class BenchCommandLineTest {

    private static String endpointsOf(Map<String, String> environment, String... args) {
        CommandLine main = Main.commandLine(environment);
        CommandLine.ParseResult parsed = main.parseArgs(args);
        BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();
        return String.join(",", bench.options().endpoints());
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
    void aUsageErrorThroughMainIsExitStatus2() {
        CommandLine main = Main.commandLine(Map.of());
        main.setErr(new PrintWriter(new StringWriter()));
        assertThat(main.execute("bench", "put", "--clients", "-3")).isEqualTo(2);
    }
}
