package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quorum.deploy.DeployFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * {@code deploy/local/cluster.sh} run as a user runs it: {@code start 3 --tls}, the CLI with the
 * {@code export} line it prints, {@code status}, {@code stop}, and a second start that reuses the
 * certificates; and the plaintext {@code start 3}. The script and {@code deploy/tls/certs.sh} run
 * from a copy of the repository's layout under {@code target/it/} (with a link to the jar), so the
 * {@code data/} they make is the test's own. The nodes take the script's fixed ports (HTTP
 * 7001-7003, Raft 7101-7103): the test is skipped when one of them is taken, or when bash, curl or
 * openssl is missing.
 */
class ClusterScriptIT {

    private static final DeployFiles FILES = DeployFiles.locate();
    private static final int NODES = 3;
    private static final long SCRIPT_SECONDS = 180;

    private Path root;

    @RegisterExtension
    final TestExecutionExceptionHandler logs = (context, failure) -> {
        System.err.println("==== " + context.getDisplayName() + " failed: " + failure + "; the nodes' logs follow");
        for (int i = 1; i <= NODES; i++) {
            Path log = root.resolve("data/n" + i + ".log");
            if (Files.exists(log)) {
                System.err.println("======== data/n" + i + ".log");
                System.err.println(Files.readString(log));
            }
        }
        throw failure;
    };

    @BeforeEach
    void copyTheScriptsBesideTheJar(TestInfo test) throws IOException {
        assumeTrue(Stream.of("bash", "curl", "openssl").allMatch(DeployFiles::installed), "bash, curl and openssl are needed");
        assumeTrue(portsFree(), "a port of 7001-7003 or 7101-7103 is taken (a local cluster running?)");
        root = Path.of("target", "it", "ClusterScriptIT-" + test.getTestMethod().orElseThrow().getName() + "-"
                + System.currentTimeMillis()).toAbsolutePath();
        for (String script : List.of("deploy/local/cluster.sh", "deploy/tls/certs.sh")) {
            Files.createDirectories(root.resolve(script).getParent());
            Files.copy(FILES.path(script), root.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.createDirectories(root.resolve("raft-http/target"));
        Files.createSymbolicLink(root.resolve("raft-http/target/quorum.jar"), ProcessCluster.jar());
    }

    /** Stops what a failed test left running: the script first, then any JVM whose pid file remains. */
    @AfterEach
    void stopWhatRuns() throws IOException {
        if (root == null || !Files.isDirectory(root.resolve("data"))) {
            return;
        }
        script("stop");
        try (Stream<Path> pidFiles = Files.list(root.resolve("data"))) {
            for (Path pidFile : pidFiles.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aTlsClusterServesTheCliWithThePrintedExportsAndKeepsItsCertificates() throws IOException {
        Run start = script("start", Integer.toString(NODES), "--tls");
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).contains("cluster ready: 3 node(s)").contains("HTTPS 127.0.0.1:7001");
        Map<String, String> exports = exports(start.output());
        assertThat(exports).containsOnlyKeys("QUORUM_ENDPOINTS", "QUORUM_CACERT", "QUORUM_CERT", "QUORUM_KEY");
        assertThat(exports.get("QUORUM_ENDPOINTS")).isEqualTo("https://127.0.0.1:7001,https://127.0.0.1:7002,https://127.0.0.1:7003");

        Run put = quorum(exports, "kv", "put", "script/tls", "over-https");
        assertThat(put.exit()).as(put.output()).isZero();
        Run get = quorum(exports, "kv", "get", "script/tls");
        assertThat(get.exit()).as(get.output()).isZero();
        assertThat(get.output()).isEqualTo("over-https");
        Map<String, String> withoutClientCertificate = new TreeMap<>(exports);
        withoutClientCertificate.remove("QUORUM_CERT");
        withoutClientCertificate.remove("QUORUM_KEY");
        assertThat(quorum(withoutClientCertificate, "kv", "get", "script/tls").exit()).as("without a client certificate").isEqualTo(1);

        Run status = script("status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output().lines().filter(line -> line.matches("n\\d .* yes"))).hasSize(NODES);
        assertLeadersViewFromAFollower(exports);

        Path tls = root.resolve("data/tls");
        Map<String, String> certificates = contents(tls);
        assertThat(certificates).containsKeys("ca.pem", "n1.pem", "n2.pem", "n3.pem", "client.pem");
        for (String name : certificates.keySet()) {
            if (name.endsWith("-key.pem")) {
                assertThat(Files.getPosixFilePermissions(tls.resolve(name))).as(name)
                        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            }
        }

        Run stop = script("stop");
        assertThat(stop.exit()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("n1 stopped cleanly", "n2 stopped cleanly", "n3 stopped cleanly");

        // data/ remembers TLS: a start without --tls comes back with it, on the same certificates.
        Run again = script("start");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("starting with TLS").contains("cluster ready: 3 node(s)");
        assertThat(contents(tls)).isEqualTo(certificates);
        Run read = quorum(exports, "kv", "get", "script/tls");
        assertThat(read.output()).isEqualTo("over-https");
        assertThat(script("stop").exit()).isZero();
    }

    @Test
    void aPlaintextClusterStartsServesAndStopsAsBefore() {
        Run start = script("start", Integer.toString(NODES));
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).contains("n1 started: pid ").contains(", HTTP 127.0.0.1:7001, Raft 127.0.0.1:7101, log data/n1.log")
                .contains("cluster ready: 3 node(s)").doesNotContain("export").doesNotContain("TLS");
        assertThat(root.resolve("data/tls")).doesNotExist();
        Run put = quorum(Map.of("QUORUM_ENDPOINTS", "http://127.0.0.1:7001,http://127.0.0.1:7002"), "kv", "put", "script/plain", "yes");
        assertThat(put.exit()).as(put.output()).isZero();
        Run status = script("status");
        assertThat(status.exit()).as(status.output()).isZero();
        Run stop = script("stop");
        assertThat(stop.exit()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("n3 stopped cleanly");
    }

    /**
     * {@code quorum status} asked of a follower first still shows the leader's view (each member's
     * match index), which it fetches from the other endpoints with the same client certificate.
     */
    private void assertLeadersViewFromAFollower(Map<String, String> exports) {
        Run first = quorum(exports, "status");
        assertThat(first.exit()).as(first.output()).isZero();
        Matcher leader = Pattern.compile("^leader n(\\d)").matcher(first.output());
        assertThat(leader.find()).as(first.output()).isTrue();
        int follower = leader.group(1).equals("1") ? 2 : 1;
        Map<String, String> followerFirst = new TreeMap<>(exports);
        followerFirst.put("QUORUM_ENDPOINTS", "https://127.0.0.1:700" + follower + "," + exports.get("QUORUM_ENDPOINTS"));
        Run status = quorum(followerFirst, "status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("(as seen by n" + leader.group(1) + ")");
        assertThat(status.output().lines().filter(line -> line.matches("n\\d .* \\d+ +\\d+"))).as(status.output()).hasSize(NODES);
    }

    record Run(int exit, String output) {
    }

    private Run script(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/local/cluster.sh").toString()));
        command.addAll(List.of(args));
        return run(command, Map.of("QUORUM_JAVA_OPTS", String.join(" ", NodeProcess.JVM_FLAGS), "QUORUM_START_TIMEOUT", "120"));
    }

    /** The CLI from the jar, in the test's root (the exported paths are absolute anyway). */
    private Run quorum(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(NodeProcess.JVM_FLAGS);
        command.addAll(List.of("-jar", ProcessCluster.jar().toString()));
        command.addAll(List.of(args));
        return run(command, env);
    }

    private Run run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("QUORUM_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            // Ends when the script is done: the nodes it starts write to their logs, not to this pipe.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            return new Run(process.exitValue(), output.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The variables of the {@code export NAME=value ...} line of the script's output. */
    private static Map<String, String> exports(String output) {
        String line = output.lines().filter(l -> l.startsWith("export ")).findFirst()
                .orElseThrow(() -> new AssertionError("no export line in:\n" + output));
        Map<String, String> variables = new LinkedHashMap<>();
        for (String assignment : line.substring("export ".length()).split(" ")) {
            int equals = assignment.indexOf('=');
            variables.put(assignment.substring(0, equals), assignment.substring(equals + 1));
        }
        return variables;
    }

    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                contents.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return contents;
    }

    private static boolean portsFree() {
        for (int i = 1; i <= NODES; i++) {
            for (int port : new int[] {7000 + i, 7100 + i}) {
                try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
