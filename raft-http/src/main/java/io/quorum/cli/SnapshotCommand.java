package io.quorum.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quorum snapshot save|restore}: backups of the whole state (API.md, "Cluster and operations"). */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Saves a backup of the cluster's state, or restores one into a fresh data directory.",
        subcommands = {SnapshotSaveCommand.class, SnapshotRestoreCommand.class})
final class SnapshotCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
