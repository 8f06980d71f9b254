package io.quorum.cli;

import io.quorum.client.LockInfo;
import io.quorum.client.QuorumClient;
import io.quorum.client.Session;
import io.quorum.http.TestCluster;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FileModes;
import io.quorum.raft.testing.FreePorts;
import io.quorum.server.BackupFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/** The client commands run through {@code Main}'s command line against a real node, with stdio captured. */
class ClientCommandsTest {

    @TempDir
    static Path data;
    static TestCluster cluster;
    static String endpoint;
    static QuorumClient client;

    @TempDir
    Path work;

    @BeforeAll
    static void startNode() throws Exception {
        cluster = TestCluster.start(1, data);
        endpoint = cluster.endpoint(0);
        client = QuorumClient.of(endpoint);
    }

    @AfterAll
    static void stopNode() {
        cluster.close();
    }

    record Run(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private static Run quorum(String... args) {
        return quorumWith(Map.of(), null, args);
    }

    /** Runs {@code args} after {@code --endpoints} of the test node (unless the environment names it). */
    private static Run quorumWith(Map<String, String> env, byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!env.containsKey("QUORUM_ENDPOINTS")) {
            int at = all.indexOf("--");
            all.add(at < 0 ? all.size() : at, "--endpoints=" + endpoint);
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            int exit = Main.commandLine(env).execute(all.toArray(String[]::new));
            return new Run(exit, outBytes.toByteArray(), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    @Test
    void kvPutGetDelete() {
        Run put = quorum("kv", "put", "cli/a", "hello");
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.text()).startsWith("version=1 modIndex=");

        Run get = quorum("kv", "get", "cli/a");
        assertThat(get.exit()).isZero();
        assertThat(get.text()).isEqualTo("hello");
        assertThat(quorum("kv", "get", "--consistency", "stale", "cli/a").text()).isEqualTo("hello");

        Run del = quorum("kv", "del", "cli/a");
        assertThat(del.exit()).isZero();
        assertThat(del.text()).startsWith("deleted=true");
        Run missing = quorum("kv", "get", "cli/a");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).startsWith("quorum: NOT_FOUND: ");
        assertThat(quorum("kv", "del", "cli/a").text()).startsWith("deleted=false");
    }

    @Test
    void kvPutFromStdinKeepsTheBytes() {
        byte[] binary = {1, 0, (byte) 0xfe, '\n'};
        assertThat(quorumWith(Map.of(), binary, "kv", "put", "cli/bin", "-").exit()).isZero();
        assertThat(client.get("cli/bin").orElseThrow().value()).containsExactly(binary);
        assertThat(quorum("kv", "get", "cli/bin").out()).containsExactly(binary);
    }

    @Test
    void kvApiErrorsAndUsageErrorsHaveTheirExitStatus() {
        quorum("kv", "put", "cli/cas", "1");
        Run mismatch = quorum("kv", "put", "--if-match", "9", "cli/cas", "2");
        assertThat(mismatch.exit()).isEqualTo(1);
        assertThat(mismatch.err()).startsWith("quorum: VERSION_MISMATCH: ");
        assertThat(quorum("kv", "put", "--create", "cli/cas", "2").err()).startsWith("quorum: VERSION_MISMATCH: ");
        assertThat(quorum("kv", "put", "--if-match", "1", "cli/cas", "2").exit()).isZero();

        Run badKey = quorum("kv", "put", "a/../b", "x");
        assertThat(badKey.exit()).isEqualTo(1);
        assertThat(badKey.err()).startsWith("quorum: INVALID_ARGUMENT: ");

        assertThat(quorum("kv", "put", "only-a-key").exit()).isEqualTo(2);
        assertThat(quorum("kv", "get", "--consistency", "sometimes", "k").exit()).isEqualTo(2);
        assertThat(quorumWith(Map.of(), null, "kv", "get", "--endpoints", "ftp://x", "k").exit()).isEqualTo(2);
    }

    @Test
    void kvLsListsEveryPage() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            keys.add(String.format("ls/k%03d", i));
        }
        keys.add("ls/sub/deep");
        keys.forEach(k -> client.put(k, new byte[] {1}));
        Run ls = quorum("kv", "ls", "--page-size", "7", "ls/");
        assertThat(ls.exit()).isZero();
        assertThat(ls.text().lines()).containsExactlyElementsOf(keys);
        assertThat(quorum("kv", "ls", "ls/").text()).isEqualTo(ls.text());
        assertThat(quorum("kv", "ls", "--one-level", "--page-size", "10", "ls/").text().lines()).hasSize(121)
                .endsWith("ls/sub/");
        assertThat(quorum("kv", "ls", "none/").text()).isEmpty();
    }

    @Test
    void endpointsComeFromQuorumEndpoints() {
        client.put("cli/env", "from env".getBytes(StandardCharsets.UTF_8));
        String dead = "http://127.0.0.1:1";
        Run run = quorumWith(Map.of("QUORUM_ENDPOINTS", dead + "," + endpoint), null, "kv", "get", "cli/env");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.text()).isEqualTo("from env");
        Run nowhere = quorumWith(Map.of("QUORUM_ENDPOINTS", dead), null, "kv", "get", "cli/env");
        assertThat(nowhere.exit()).isEqualTo(1);
        assertThat(nowhere.err()).startsWith("quorum: UNAVAILABLE: ");
    }

    @Test
    void statusPrintsTheClusterTable() {
        Run status = quorum("status");
        assertThat(status.exit()).as(status.err()).isZero();
        List<String> lines = status.text().lines().toList();
        assertThat(lines.get(0)).startsWith("leader n1  term ").contains("commit ").contains("applied ");
        assertThat(lines.get(1)).startsWith("ID").contains("ROLE", "VOTER", "RAFT-ADDR", "MATCH", "LAG");
        assertThat(lines.get(2)).startsWith("n1").contains("leader", "yes");
    }

    @Test
    void lockRunsTheCommandWithTheTokenAndReleases() throws Exception {
        Path tokenFile = work.resolve("token");
        Run run = quorum("lock", "cli/lock", "--ttl", "5s", "--", "sh", "-c",
                "echo \"$QUORUM_LOCK_TOKEN $QUORUM_LOCK_KEY $QUORUM_SESSION\" > " + tokenFile);
        assertThat(run.exit()).as(run.err()).isZero();
        String[] written = Files.readString(tokenFile).trim().split(" ");
        assertThat(Long.parseLong(written[0])).isPositive();
        assertThat(written[1]).isEqualTo("cli/lock");
        LockInfo after = client.lock("cli/lock");
        assertThat(after.held()).isFalse();
        assertThat(client.session(Long.parseLong(written[2]))).as("the session is closed").isEmpty();
    }

    @Test
    void lockExitsWithTheCommandsStatusAndReleases() {
        Run run = quorum("lock", "cli/fails", "--", "sh", "-c", "exit 3");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(client.lock("cli/fails").held()).isFalse();
    }

    @Test
    void lockHeldByAnotherSessionFailsAfterTheWait() throws Exception {
        Session other = client.openSession(Duration.ofSeconds(30), Duration.ZERO);
        try {
            long token = client.acquire("cli/busy", other.id(), false, Duration.ZERO).token();
            Path ran = work.resolve("ran");
            Run run = quorum("lock", "cli/busy", "--wait", "300ms", "--", "sh", "-c", "touch " + ran);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).startsWith("quorum: LOCK_HELD: ");
            assertThat(ran).doesNotExist();
            assertThat(client.lock("cli/busy").holders()).containsExactly(new LockInfo.Holder(other.id(), token));
            assertThat(client.lock("cli/busy").waiters()).isEmpty();
        } finally {
            client.closeSession(other.id());
        }
    }

    @Test
    void lockWaitsForTheHolderByDefault() throws Exception {
        Session other = client.openSession(Duration.ofSeconds(30), Duration.ZERO);
        client.acquire("cli/later", other.id(), false, Duration.ZERO);
        Path tokenFile = work.resolve("later");
        Thread releaser = new Thread(() -> {
            Await.until("the lock command to queue", Duration.ofSeconds(20),
                    () -> !client.lock("cli/later").waiters().isEmpty());
            client.release("cli/later", other.id());
        });
        releaser.start();
        Run run = quorum("lock", "cli/later", "--", "sh", "-c", "echo \"$QUORUM_LOCK_TOKEN\" > " + tokenFile);
        releaser.join(Duration.ofSeconds(20).toMillis());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Files.readString(tokenFile).trim()).isNotEmpty();
        client.closeSession(other.id());
    }

    @Test
    void lockTerminatesTheCommandWhenTheSessionIsLost() throws Exception {
        Path sessionFile = work.resolve("session");
        Thread closer = new Thread(() -> {
            Await.until("the command to start", Duration.ofSeconds(20), () -> Files.exists(sessionFile)
                    && !readQuietly(sessionFile).isBlank());
            client.closeSession(Long.parseLong(readQuietly(sessionFile).trim()));
        });
        closer.start();
        Run run = quorum("lock", "cli/lost", "--ttl", "3s", "--", "sh", "-c",
                "echo \"$QUORUM_SESSION\" > " + sessionFile + "; sleep 60");
        closer.join(Duration.ofSeconds(20).toMillis());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("quorum: SESSION_LOST: ");
    }

    @Test
    void lockOfACommandThatCannotStart() {
        Run run = quorum("lock", "cli/nocmd", "--", "/nonexistent/command");
        assertThat(run.exit()).isEqualTo(LockCommand.CANNOT_RUN);
        assertThat(client.lock("cli/nocmd").held()).isFalse();
    }

    @Test
    void snapshotSaveWritesABackupThatRestoresIntoADataDir() throws Exception {
        long written = client.put("cli/snap", "kept".getBytes(StandardCharsets.UTF_8)).modIndex();
        Path file = work.resolve("backup.snap");
        Run run = quorum("snapshot", "save", file.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.text()).startsWith("saved ");
        assertThat(BackupFile.decode(Files.readAllBytes(file)).meta().index()).isGreaterThanOrEqualTo(written);
        assertNoTemporaryFileIn(work);

        Path restored = work.resolve("restored");
        int exit = Main.commandLine(Map.of()).execute("snapshot", "restore", file.toString(), "--data-dir", restored.toString());
        assertThat(exit).isZero();
        try (var entries = Files.list(restored)) {
            assertThat(entries).isNotEmpty();
        }
    }

    @Test
    void snapshotSaveWritesABackupOnlyItsOwnerMayRead() throws Exception {
        FileModes.assumePosix(work);
        Path file = work.resolve("backup.snap");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Run run = quorum("snapshot", "save", file.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(FileModes.modeOf(file)).as("also when it replaces a file others could read").isEqualTo(FileModes.OWNER_FILE);
    }

    @Test
    void snapshotSaveWithNoNodeAnsweringFailsAndLeavesNoFile() throws Exception {
        Path file = work.resolve("backup.snap");
        Run run = quorumWith(Map.of("QUORUM_ENDPOINTS", "http://127.0.0.1:" + FreePorts.next()), null,
                "snapshot", "save", file.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("quorum: ");
        assertThat(file).doesNotExist();
        assertNoTemporaryFileIn(work);
    }

    private static void assertNoTemporaryFileIn(Path dir) throws Exception {
        try (var left = Files.list(dir)) {
            assertThat(left.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void helpListsTheClientCommandsAndExitStatuses() {
        Run help = quorumWith(Map.of("QUORUM_ENDPOINTS", endpoint), null, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.text()).contains("kv", "lock", "status", "snapshot", "server");
        Run lockHelp = quorumWith(Map.of("QUORUM_ENDPOINTS", endpoint), null, "lock", "--help");
        assertThat(lockHelp.exit()).isZero();
        assertThat(lockHelp.text()).contains("QUORUM_LOCK_TOKEN", "Exit status", "--endpoints", "127");
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
