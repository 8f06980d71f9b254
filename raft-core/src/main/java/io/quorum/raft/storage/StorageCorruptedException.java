package io.quorum.raft.storage;

import java.nio.file.Path;

/**
 * Stored data fails its checksum or does not fit together where a torn write cannot explain it.
 * Start-up stops with this rather than cutting the log there, which could drop committed entries.
 */
public final class StorageCorruptedException extends StorageFailedException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public StorageCorruptedException(Path file, long offset, String problem) {
        super("corrupt storage: " + file + " at offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
