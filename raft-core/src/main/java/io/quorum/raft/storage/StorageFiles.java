package io.quorum.raft.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file-system operations durable storage needs, and nothing more. Every byte the storage
 * writes or reads goes through this interface so that tests can substitute an implementation that
 * loses unsynced writes, tears the last write, flips bits, fails fsync or runs out of space.
 *
 * <p>Durability model the storage relies on (POSIX, as on ext4/xfs): data written to a file is
 * durable only after {@link StorageFile#sync}; a created, renamed or deleted name is durable only
 * after {@link #syncDirectory} of its parent; {@link #rename} atomically replaces the target.
 */
public interface StorageFiles {

    /** Opens an existing file for reading and writing. */
    StorageFile open(Path file) throws IOException;

    /**
     * Creates a new empty file for reading and writing; fails when it exists. On a real file system
     * with POSIX permissions only its owner may read or write it (0600).
     */
    StorageFile create(Path file) throws IOException;

    /** The regular files directly inside {@code dir}. */
    List<Path> list(Path dir) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing {@code to} when it exists. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes the file when it exists. */
    void deleteIfExists(Path file) throws IOException;

    /** Makes creations, renames and deletions inside {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Creates the directory and its missing parents, durably (each new name is fsynced in its parent).
     * On a real file system with POSIX permissions each one it creates is its owner's only (0700).
     */
    void createDirectories(Path dir) throws IOException;
}
