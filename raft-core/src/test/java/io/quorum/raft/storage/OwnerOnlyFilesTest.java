package io.quorum.raft.storage;

import static io.quorum.raft.testing.FileModes.OWNER_DIRECTORY;
import static io.quorum.raft.testing.FileModes.OWNER_FILE;
import static io.quorum.raft.testing.FileModes.assumePosix;
import static io.quorum.raft.testing.FileModes.modeOf;
import static io.quorum.raft.testing.FileModes.modesOfTree;
import static io.quorum.raft.testing.FileModes.ownerOnly;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.protocol.HardState;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the storage creates on the real file system is its owner's only: every directory 0700,
 * every segment, hard-state and snapshot file 0600, whatever the umask lets other files have.
 */
class OwnerOnlyFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aNodesStorageIsItsOwnersOnly() throws IOException {
        assumePosix(tmp);
        Path parent = tmp.resolve("data");
        Path dir = parent.resolve("n1");
        try (DurableStorage storage = DurableStorage.open(dir, DurableStorageContractTest.SMALL, RealStorageFiles.INSTANCE)) {
            storage.appendAndSync(RaftStorageContract.batch(1, 1, 200));
            storage.saveHardStateAndSync(new HardState(1, "n1", 150));
            storage.saveSnapshotAndCompact(RaftStorageContract.snapshot(150, 1, 1000));
            storage.saveSnapshotAndCompact(RaftStorageContract.snapshot(180, 1, 1000));
        }

        SortedMap<Path, String> modes = modesOfTree(parent);
        assertThat(modes).as("the missing parent, the data dir and its log and snapshot directories")
                .containsEntry(parent, OWNER_DIRECTORY).containsEntry(dir, OWNER_DIRECTORY)
                .containsEntry(dir.resolve("log"), OWNER_DIRECTORY).containsEntry(dir.resolve("snapshot"), OWNER_DIRECTORY)
                .containsEntry(dir.resolve(HardStateFile.NAME), OWNER_FILE);
        assertThat(filesIn(modes, dir.resolve("log"))).as("segments").isPositive();
        assertThat(filesIn(modes, dir.resolve("snapshot"))).as("snapshots").isEqualTo(2);
        for (Map.Entry<Path, String> entry : modes.entrySet()) {
            assertThat(entry.getValue()).as(entry.getKey().toString()).isEqualTo(ownerOnly(entry.getKey()));
        }
    }

    @Test
    void anExistingDirectoryKeepsItsMode() throws IOException {
        assumePosix(tmp);
        Path dir = Files.createDirectory(tmp.resolve("prepared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        DurableStorage.open(dir, DurableStorageContractTest.SMALL, RealStorageFiles.INSTANCE).close();
        assertThat(modeOf(dir)).as("chosen by the operator").isEqualTo("rwxr-x---");
        assertThat(modeOf(dir.resolve("log"))).isEqualTo(OWNER_DIRECTORY);
    }

    @Test
    void withoutPosixPermissionsFilesAndDirectoriesAreCreatedWithoutThem() throws IOException {
        Path zip = tmp.resolve("no-posix.zip");
        try (FileSystem zipFs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            Path dir = zipFs.getPath("/data");
            assertThat(zipFs.supportedFileAttributeViews()).doesNotContain("posix");
            assertThat(OwnerOnly.directory(dir)).isEmpty();
            assertThat(OwnerOnly.file(dir)).isEmpty();

            Files.createDirectory(dir, OwnerOnly.directory(dir));
            try (StorageFile file = RealStorageFiles.INSTANCE.create(dir.resolve("hardstate"))) {
                file.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            }
            assertThat(Files.size(dir.resolve("hardstate"))).isEqualTo(3);
        }
    }

    private static long filesIn(SortedMap<Path, String> modes, Path dir) {
        return modes.keySet().stream().filter(p -> dir.equals(p.getParent()) && Files.isRegularFile(p)).count();
    }
}
