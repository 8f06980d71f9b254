package io.quorum.cli;

import io.quorum.server.InvalidBackupException;
import io.quorum.server.ServerSettings;
import io.quorum.server.SnapshotRestore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quorum snapshot restore FILE --data-dir DIR [--members …]}: makes a fresh data dir from a
 * backup ({@link SnapshotRestore}). Exits 0 with one line on stdout, or 1 with the reason on stderr.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Makes a fresh data dir from a backup taken with GET /v1/snapshot (snapshot save). "
                + "Restore every member of the new cluster from the same file.")
final class SnapshotRestoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Option(names = "--data-dir", required = true, description = "The data dir to create; must be absent or empty.")
    Path dataDir;

    @Option(names = "--members",
            description = "The restored cluster's voters: id=host:port,... (default: the backup's members).")
    String members;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            SortedMap<String, String> voters = members == null || members.isBlank() ? null
                    : ServerSettings.parseMembers(members);
            SnapshotRestore.Restored restored = SnapshotRestore.restore(file, dataDir, voters);
            spec.commandLine().getOut().println("restored " + file + " into " + dataDir + ": index " + restored.index() + ", term "
                    + restored.term() + ", members " + restored.membership().addresses());
            return 0;
        } catch (InvalidBackupException | IllegalArgumentException e) {
            return fail(file + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            return fail("no such file: " + e.getFile());
        } catch (IOException | RuntimeException e) {
            return fail(e.toString());
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("quorum snapshot restore: " + message);
        return 1;
    }
}
