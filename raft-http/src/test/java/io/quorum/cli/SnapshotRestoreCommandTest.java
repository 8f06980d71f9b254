package io.quorum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Command;
import io.quorum.coord.CommandCodec;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.StampedCommand;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.storage.DurableStorage;
import io.quorum.raft.testing.FileModes;
import io.quorum.server.BackupFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code snapshot restore FILE --data-dir DIR [--members …]}: what it writes, and what it refuses. */
class SnapshotRestoreCommandTest {

    private static final Membership BACKED_UP = Membership.ofVoters(new TreeMap<>(Map.of(
            "n1", "127.0.0.1:7101", "n2", "127.0.0.1:7102", "n3", "127.0.0.1:7103")));

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SnapshotRestoreCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A backup at index 9, term 4, of a state with one key written at index 7. */
    private static byte[] backup() {
        CoordStateMachine machine = new CoordStateMachine(CoordConfig.DEFAULTS);
        machine.apply(7, CommandCodec.encode(new StampedCommand(1_000,
                new Command.Put("config/a", "1".getBytes(StandardCharsets.UTF_8), Command.ANY_VERSION, 0, null))));
        byte[] state = machine.snapshot();
        return BackupFile.encode(new Snapshot(new SnapshotMeta(9, 4, BACKED_UP, state.length), state));
    }

    private Path write(byte[] bytes) throws Exception {
        return Files.write(dir.resolve("backup-" + Arrays.hashCode(bytes) + ".snap"), bytes);
    }

    @Test
    void restoresTheBackupAsAnInstalledSnapshotWithItsTermCommitted() throws Exception {
        byte[] backup = backup();
        Path data = dir.resolve("data/n1");
        Run run = run(write(backup).toString(), "--data-dir", data.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("index 9", "term 4");
        try (DurableStorage storage = DurableStorage.open(data)) {
            assertThat(storage.snapshotMeta().index()).isEqualTo(9);
            assertThat(storage.snapshotMeta().term()).isEqualTo(4);
            assertThat(storage.snapshotMeta().membership()).isEqualTo(BACKED_UP);
            assertThat(storage.lastIndex()).isEqualTo(9);
            assertThat(storage.hardState()).isEqualTo(new HardState(4, null, 9));
            CoordStateMachine restored = new CoordStateMachine(CoordConfig.DEFAULTS);
            restored.restore(storage.snapshot().data());
            assertThat(restored.get("config/a")).isPresent();
        }
    }

    @Test
    void theRestoredDataDirIsItsOwnersOnly() throws Exception {
        FileModes.assumePosix(dir);
        Path parent = dir.resolve("restored");
        Run run = run(write(backup()).toString(), "--data-dir", parent.resolve("n1").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        SortedMap<Path, String> modes = FileModes.modesOfTree(parent);
        assertThat(modes).as("the data dir, its missing parent, the snapshot and the hard state")
                .containsEntry(parent.resolve("n1"), FileModes.OWNER_DIRECTORY)
                .containsEntry(parent, FileModes.OWNER_DIRECTORY)
                .containsEntry(parent.resolve("n1/hardstate"), FileModes.OWNER_FILE)
                .containsEntry(parent.resolve("n1/snapshot"), FileModes.OWNER_DIRECTORY);
        assertThat(modes.keySet()).anyMatch(p -> p.getFileName().toString().endsWith(".snap"));
        modes.forEach((path, mode) -> assertThat(mode).as(path.toString()).isEqualTo(FileModes.ownerOnly(path)));
    }

    @Test
    void membersGivenAtRestoreTimeReplaceTheBackupsMembership() throws Exception {
        Path data = dir.resolve("n1");
        Run run = run(write(backup()).toString(), "--data-dir", data.toString(),
                "--members", "n1=10.0.0.1:7101,n2=10.0.0.2:7101,n3=10.0.0.3:7101");

        assertThat(run.exitCode()).as(run.err()).isZero();
        try (DurableStorage storage = DurableStorage.open(data)) {
            assertThat(storage.snapshotMeta().membership().addresses())
                    .containsEntry("n1", "10.0.0.1:7101").containsEntry("n3", "10.0.0.3:7101").hasSize(3);
        }
    }

    @Test
    void aTruncatedBackupIsRefusedAndNothingIsWritten() throws Exception {
        byte[] backup = backup();
        for (int length : new int[] {0, 5, 8, 20, 40, backup.length / 2, backup.length - 5, backup.length - 1}) {
            Path data = dir.resolve("cut-" + length);
            Run run = run(write(Arrays.copyOf(backup, length)).toString(), "--data-dir", data.toString());

            assertThat(run.exitCode()).as("cut to %d bytes", length).isEqualTo(1);
            assertThat(run.err()).as("cut to %d bytes", length).containsAnyOf("truncated", "not a Quorum backup", "corrupt");
            assertThat(data).as("cut to %d bytes", length).doesNotExist();
        }
        Run cutInTheState = run(write(Arrays.copyOf(backup, backup.length - 1)).toString(), "--data-dir",
                dir.resolve("x").toString());
        assertThat(cutInTheState.err()).contains("truncated backup");
    }

    @Test
    void everySingleBitFlipIsRefused() throws Exception {
        byte[] backup = backup();
        Path file = dir.resolve("flipped.snap");
        Path data = dir.resolve("never");
        for (int bit = 0; bit < backup.length * 8; bit++) {
            byte[] flipped = backup.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(file, flipped);
            Run run = run(file.toString(), "--data-dir", data.toString());

            assertThat(run.exitCode()).as("bit %d flipped", bit).isEqualTo(1);
            assertThat(run.err()).as("bit %d flipped", bit)
                    .containsAnyOf("corrupt", "checksum", "truncated", "not a Quorum backup", "unsupported");
            assertThat(data).as("bit %d flipped", bit).doesNotExist();
        }
        assertThat(run(write(backup).toString(), "--data-dir", dir.resolve("intact").toString()).exitCode()).isZero();
    }

    @Test
    void aNonEmptyDataDirIsRefused() throws Exception {
        Path data = Files.createDirectories(dir.resolve("used"));
        Files.writeString(data.resolve("hardstate"), "anything");
        Run run = run(write(backup()).toString(), "--data-dir", data.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("not empty");
        assertThat(Files.readString(data.resolve("hardstate"))).isEqualTo("anything");
    }

    @Test
    void aMissingFileOrMissingDataDirFlagFails() throws Exception {
        Run missing = run(dir.resolve("absent.snap").toString(), "--data-dir", dir.resolve("d").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");

        Run noDataDir = run(write(backup()).toString());
        assertThat(noDataDir.exitCode()).isNotZero();
        assertThat(noDataDir.err()).contains("--data-dir");

        Run badMembers = run(write(backup()).toString(), "--data-dir", dir.resolve("m").toString(), "--members", "n1");
        assertThat(badMembers.exitCode()).isEqualTo(1);
        assertThat(badMembers.err()).contains("id=host:port");
    }
}
