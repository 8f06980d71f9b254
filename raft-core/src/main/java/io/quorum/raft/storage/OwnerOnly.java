package io.quorum.raft.storage;

import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The permissions a node's data and its backups are created with: directories 0700, files 0600.
 * They hold every key, session and lock of the cluster, so no other user of the machine may read
 * them, whatever the process umask.
 *
 * <p>The mode is given to the call that creates the file or directory, so it is born with it (the
 * umask can only take bits away); a chmod after creation would leave a window in which another
 * user could open it and keep the descriptor. Where the file system has no POSIX permissions (a
 * zip file system, Windows) the arrays are empty and creation proceeds without them instead of
 * failing.
 */
public final class OwnerOnly {

    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private OwnerOnly() {
    }

    /** The attributes that create {@code file} readable and writable by its owner only (0600). */
    public static FileAttribute<?>[] file(Path file) {
        return hasPosixPermissions(file) ? new FileAttribute<?>[] {FILE} : NONE;
    }

    /** The attributes that create {@code dir} usable by its owner only (0700). */
    public static FileAttribute<?>[] directory(Path dir) {
        return hasPosixPermissions(dir) ? new FileAttribute<?>[] {DIRECTORY} : NONE;
    }

    private static boolean hasPosixPermissions(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
