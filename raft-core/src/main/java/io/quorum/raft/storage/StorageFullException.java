package io.quorum.raft.storage;

/**
 * The disk has no room for a write. The write was refused and left nothing partial behind: reads
 * keep working, and a later write succeeds once space returns. Only one step may have happened:
 * {@code appendAndSync} may already have removed the conflicting suffix it was asked to replace
 * (the storage reflects that) before a new segment for the entries could not be created.
 * Unlike {@link StorageFailedException} the node may keep running (as a follower that cannot
 * accept entries it is simply slow; the leader must stop accepting proposals).
 */
public final class StorageFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
