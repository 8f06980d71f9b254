package io.quorum.cli;

import io.quorum.client.QuorumClient;
import io.quorum.raft.storage.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code quorum snapshot save FILE}: {@code GET /v1/snapshot} into FILE, atomically. The stream goes
 * to a temporary file beside FILE, which is flushed to disk and then renamed over FILE, so FILE is
 * either the previous one or a whole backup, never a partial one; a failure removes the temporary
 * file. FILE is readable and writable by its owner only (0600), even when it replaces a file with
 * another mode.
 */
@Command(name = "save", mixinStandardHelpOptions = true,
        description = "Saves a consistent backup of the whole state to FILE (written to a temporary file, "
                + "then renamed; FILE is never left partial).",
        exitCodeListHeading = ClientCommand.EXIT_CODES_HEADING,
        exitCodeList = {"0:saved", "1:an API error ('quorum: <code>: <message>') or FILE could not be written",
                "2:usage error"})
final class SnapshotSaveCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    int run(QuorumClient client) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp;
        try {
            // Born 0600: the backup holds every key of the cluster; the rename keeps the mode.
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", OwnerOnly.file(dir));
        } catch (IOException e) {
            return fail("IO_ERROR", "cannot write in " + dir + ": " + e.getMessage());
        }
        boolean saved = false;
        try {
            long bytes;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(channel);
                bytes = client.snapshot(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            saved = true;
            syncDirectory(dir);
            println("saved " + bytes + " bytes to " + file);
            return OK;
        } catch (IOException e) {
            return fail("IO_ERROR", "saving the snapshot to " + file + " failed: " + e.getMessage());
        } finally {
            if (!saved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Makes the rename durable where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. Windows); the rename itself is atomic.
        }
    }
}
