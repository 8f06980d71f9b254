package io.quorum.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Replaces a small file atomically: write {@code <name>.tmp}, fsync it, rename it over
 * {@code <name>}, fsync the directory. A crash leaves the old content or the new, never a mix; a
 * leftover temp file is garbage that {@link #deleteLeftover} removes at start-up.
 */
final class AtomicFile {

    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFile() {
    }

    /**
     * Durably replaces {@code target} with {@code content}, written by {@code writer}.
     *
     * @throws StorageFullException when there is no space for the temp file; the old content stays
     * @throws IOException          for any other failure, which the caller must treat as fatal
     */
    static void replace(StorageFiles files, Path target, Writer writer) throws IOException {
        Path dir = target.getParent();
        Path temp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
        files.deleteIfExists(temp);
        try (StorageFile file = files.create(temp)) {
            writer.writeTo(file);
            file.sync(true);
        } catch (IOException e) {
            if (DiskErrors.isOutOfSpace(e)) {
                try {
                    files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                    throw e;
                }
                throw new StorageFullException("no space to write " + target, e);
            }
            throw e;
        }
        files.rename(temp, target);
        files.syncDirectory(dir);
    }

    /** Writes a whole buffer at offset 0. */
    static Writer of(ByteBuffer content) {
        return file -> file.write(content, 0);
    }

    static void deleteLeftover(StorageFiles files, Path target) throws IOException {
        files.deleteIfExists(target.getParent().resolve(target.getFileName() + TEMP_SUFFIX));
    }

    /** Fills the temp file. */
    @FunctionalInterface
    interface Writer {
        void writeTo(StorageFile file) throws IOException;
    }
}
