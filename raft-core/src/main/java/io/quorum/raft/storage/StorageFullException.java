package io.quorum.raft.storage;

/**
 * The disk has no room for a write. The write was refused and left nothing behind: the storage is
 * exactly as before the call, reads keep working, and a later write succeeds once space returns.
 * Unlike {@link StorageFailedException} the node may keep running (as a follower that cannot
 * accept entries it is simply slow; the leader must stop accepting proposals).
 */
public final class StorageFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
