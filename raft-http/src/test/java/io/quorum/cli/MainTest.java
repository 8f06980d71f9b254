package io.quorum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.quorum.raft.testing.FreePorts;
import io.quorum.server.AllowedOrigins;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code server} command's flags, defaults and QUORUM_* variables (API.md), without starting a node. */
class MainTest {

    private static ServerSettings parse(Map<String, String> environment, String... args) {
        ServerCommand server = new ServerCommand();
        CommandLine cli = new CommandLine(server);
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        cli.parseArgs(args);
        return server.settings();
    }

    @Test
    void noArgumentsIsASingleNodeClusterN1OnTheDefaultPorts() {
        assertThat(Main.withDefaultCommand(new String[0])).containsExactly("server");
        ServerSettings s = parse(Map.of());
        assertThat(s.id()).isEqualTo("n1");
        assertThat(s.dataDir()).isEqualTo(Path.of("data", "n1"));
        assertThat(s.httpAddr()).isEqualTo(new HostPort("127.0.0.1", 7001));
        assertThat(s.raftAddr()).isEqualTo(new HostPort("127.0.0.1", 7101));
        assertThat(s.members()).containsExactly(Map.entry("n1", "127.0.0.1:7101"));
        assertThat(s.maxValueBytes()).isEqualTo(256 * 1024);
    }

    @Test
    void flagsAloneMeanTheServerCommand() {
        assertThat(Main.withDefaultCommand(new String[] {"--id", "n2"})).containsExactly("server", "--id", "n2");
        assertThat(Main.withDefaultCommand(new String[] {"server", "--id", "n2"})).containsExactly("server", "--id", "n2");
        assertThat(Main.withDefaultCommand(new String[] {"--help"})).containsExactly("--help");
    }

    @Test
    void aNodeOfAClusterAsApiMdStartsIt() {
        ServerSettings s = parse(Map.of(), "--id", "n2", "--data-dir", "data/n2", "--http-addr", "127.0.0.1:7002",
                "--raft-addr", "127.0.0.1:7102", "--members", "n1=127.0.0.1:7101,n2=127.0.0.1:7102,n3=127.0.0.1:7103");
        assertThat(s.id()).isEqualTo("n2");
        assertThat(s.dataDir()).isEqualTo(Path.of("data/n2"));
        assertThat(s.members()).hasSize(3).containsEntry("n3", "127.0.0.1:7103");
        assertThat(s.raftListenAddr()).as("listens where peers dial it").isEqualTo(new HostPort("127.0.0.1", 7102));
    }

    @Test
    void theRaftTransportMayListenElsewhereThanTheAddressPeersDial() {
        ServerSettings s = parse(Map.of(), "--id", "n2", "--raft-addr", "10.0.0.2:7102", "--raft-listen-addr", "0.0.0.0:7202",
                "--members", "n1=10.0.0.1:7101,n2=10.0.0.2:7102");
        assertThat(s.raftAddr()).isEqualTo(new HostPort("10.0.0.2", 7102));
        assertThat(s.raftListenAddr()).isEqualTo(new HostPort("0.0.0.0", 7202));
        assertThat(s.members()).containsEntry("n2", "10.0.0.2:7102");

        ServerSettings fromEnv = parse(Map.of("QUORUM_RAFT_LISTEN_ADDR", "127.0.0.1:7301"));
        assertThat(fromEnv.raftListenAddr()).isEqualTo(new HostPort("127.0.0.1", 7301));
        assertThat(fromEnv.members()).as("peers still dial --raft-addr").containsExactly(Map.entry("n1", "127.0.0.1:7101"));
        assertThatThrownBy(() -> parse(Map.of(), "--raft-listen-addr", "7202")).hasMessageContaining("host:port");
    }

    @Test
    void environmentVariablesSetFlagsAndTheCommandLineWins() {
        Map<String, String> env = Map.of("QUORUM_ID", "n3", "QUORUM_DATA_DIR", "/var/lib/q", "QUORUM_MAX_VALUE_BYTES", "1024",
                "QUORUM_RAFT_ADDR", "127.0.0.1:7103");
        ServerSettings fromEnv = parse(env);
        assertThat(fromEnv.id()).isEqualTo("n3");
        assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/var/lib/q"));
        assertThat(fromEnv.maxValueBytes()).isEqualTo(1024);
        assertThat(fromEnv.members()).containsExactly(Map.entry("n3", "127.0.0.1:7103"));

        ServerSettings flagWins = parse(env, "--max-value-bytes", "2048", "--id", "n4");
        assertThat(flagWins.maxValueBytes()).isEqualTo(2048);
        assertThat(flagWins.id()).isEqualTo("n4");
        assertThat(EnvironmentDefaults.variableOf("--data-dir")).isEqualTo("QUORUM_DATA_DIR");
    }

    @Test
    void membersThatDoNotNameThisNodeMakeItJoinThem() {
        ServerSettings joiner = parse(Map.of(), "--id", "n4", "--raft-addr", "127.0.0.1:7104",
                "--members", "n1=127.0.0.1:7101,n2=127.0.0.1:7102");
        assertThat(joiner.joining()).isTrue();
        assertThat(joiner.members()).containsOnlyKeys("n1", "n2");
        assertThat(parse(Map.of(), "--id", "n2", "--raft-addr", "127.0.0.1:7102",
                "--members", "n1=127.0.0.1:7101,n2=127.0.0.1:7102").joining()).isFalse();
    }

    @Test
    void inconsistentFlagsAreRefused() {
        assertThatThrownBy(() -> parse(Map.of(), "--id", "n/9", "--members", "n1=127.0.0.1:7101"))
                .hasMessageContaining("member id");
        assertThatThrownBy(() -> parse(Map.of(), "--id", "n1", "--members", "n1=127.0.0.1:7101,-x=127.0.0.1:7102"))
                .hasMessageContaining("member id");
        assertThatThrownBy(() -> parse(Map.of(), "--members", "n1=127.0.0.1:0"))
                .hasMessageContaining("port from 1");
        assertThatThrownBy(() -> parse(Map.of(), "--members", "n1=127.0.0.1:7101", "--raft-addr", "127.0.0.1:9999"))
                .hasMessageContaining("differs");
        assertThatThrownBy(() -> parse(Map.of(), "--members", "n1"))
                .hasMessageContaining("id=host:port");
        assertThatThrownBy(() -> parse(Map.of(), "--http-addr", "7001"))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> parse(Map.of(), "--max-value-bytes", "0"))
                .hasMessageContaining("max-value-bytes");
    }

    @Test
    void tlsFlagGroupsGivenInPartAreRefusedNamingTheMissingFlag() {
        assertThatThrownBy(() -> parse(Map.of(), "--peer-cert-file", "n1.pem", "--peer-key-file", "n1-key.pem"))
                .hasMessageContaining("--peer-trusted-ca-file");
        assertThatThrownBy(() -> parse(Map.of(), "--peer-trusted-ca-file", "ca.pem"))
                .hasMessageContaining("--peer-cert-file and --peer-key-file missing");
        assertThatThrownBy(() -> parse(Map.of(), "--cert-file", "n1.pem")).hasMessageContaining("--key-file is missing");
        assertThatThrownBy(() -> parse(Map.of(), "--key-file", "n1-key.pem")).hasMessageContaining("--cert-file is missing");
        assertThatThrownBy(() -> parse(Map.of(), "--cert-file", "n1.pem", "--key-file", "k.pem", "--client-cert-auth"))
                .hasMessageContaining("--trusted-ca-file is missing");
        assertThatThrownBy(() -> parse(Map.of(), "--cert-file", "n1.pem", "--key-file", "k.pem", "--trusted-ca-file", "ca.pem"))
                .hasMessageContaining("--client-cert-auth is missing");
        assertThatThrownBy(() -> parse(Map.of(), "--trusted-ca-file", "ca.pem", "--client-cert-auth"))
                .hasMessageContaining("--cert-file and --key-file are missing");
    }

    @Test
    void tlsFlagsAlsoComeFromTheEnvironment() {
        ServerSettings s = parse(Map.of("QUORUM_PEER_CERT_FILE", "p.pem", "QUORUM_PEER_KEY_FILE", "p-key.pem",
                "QUORUM_PEER_TRUSTED_CA_FILE", "ca.pem", "QUORUM_CERT_FILE", "s.pem", "QUORUM_KEY_FILE", "s-key.pem",
                "QUORUM_TRUSTED_CA_FILE", "client-ca.pem", "QUORUM_CLIENT_CERT_AUTH", "true"));
        assertThat(s.tls().peer().certFile()).isEqualTo(Path.of("p.pem"));
        assertThat(s.tls().peer().trustedCaFile()).isEqualTo(Path.of("ca.pem"));
        assertThat(s.tls().http().keyFile()).isEqualTo(Path.of("s-key.pem"));
        assertThat(s.tls().clientCertAuth()).isTrue();
        assertThat(parse(Map.of()).tls()).isEqualTo(io.quorum.server.TlsSettings.NONE);
    }

    @Test
    void aPartialTlsGroupExitsWithStatus2BeforeAnythingStarts() {
        Exit exit = serverExit(Map.of(), "server", "--peer-cert-file", "n1.pem");
        assertThat(exit.status()).isEqualTo(2);
        assertThat(exit.stderr()).contains("--peer-key-file and --peer-trusted-ca-file missing");
    }

    @Test
    void anUnusableCertificateFileExitsWithStatus2NamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pem");
        Exit exit = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> serverExit(Map.of(), "server", "--data-dir",
                dir.resolve("data").toString(), "--http-addr", "127.0.0.1:0", "--raft-addr", "127.0.0.1:" + FreePorts.next(),
                "--cert-file", missing.toString(), "--key-file", missing.toString()));
        assertThat(exit.status()).isEqualTo(2);
        assertThat(exit.stderr()).contains(missing + ": no such file");
        assertThat(dir.resolve("data")).as("the data dir is not touched").doesNotExist();
    }

    @Test
    void allowedOriginsComeFromTheFlagOrTheEnvironmentAndDefaultToNone() {
        assertThat(parse(Map.of()).allowedOrigins()).isEqualTo(AllowedOrigins.NONE);
        assertThat(parse(Map.of(), "--allowed-origins", "https://console.example.com,http://localhost:8080")
                .allowedOrigins().origins()).containsExactly("https://console.example.com", "http://localhost:8080");
        assertThat(parse(Map.of("QUORUM_ALLOWED_ORIGINS", "*")).allowedOrigins().any()).isTrue();
        assertThatThrownBy(() -> parse(Map.of(), "--allowed-origins", "console.example.com"))
                .hasMessageContaining("--allowed-origins").hasMessageContaining("'console.example.com'");
    }

    @Test
    void aMalformedAllowedOriginIsAUsageErrorNamingTheFlagAndTheValue(@TempDir Path data) throws Exception {
        // Flags a node could start with, so that only the origin is wrong; were it accepted, the
        // node would start and the timeout would end the test rather than let it hang.
        String[] node = {"server", "--data-dir", data.toString(), "--http-addr", "127.0.0.1:0",
                "--raft-addr", "127.0.0.1:" + FreePorts.next()};
        Exit flag = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> serverExit(Map.of(),
                concat(node, "--allowed-origins", "https://console.example.com/app")));
        assertThat(flag.status()).isEqualTo(2);
        assertThat(flag.stderr()).contains("--allowed-origins").contains("'https://console.example.com/app'");

        Exit variable = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> serverExit(Map.of("QUORUM_ALLOWED_ORIGINS", "ftp:/x"), node));
        assertThat(variable.status()).isEqualTo(2);
        assertThat(variable.stderr()).contains("--allowed-origins").contains("'ftp:/x'");
    }

    private record Exit(int status, String stderr) {}

    private static Exit serverExit(Map<String, String> environment, String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            return new Exit(Main.commandLine(environment).execute(args), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
