package io.quorum.raft.storage;

/**
 * The disk did not do what was asked (a failed fsync, a failed write, corrupt data): the node must
 * stop. It is never retried: after a failed fsync the kernel may already have dropped the dirty
 * pages and cleared the error, so a second fsync that "succeeds" proves nothing (PostgreSQL's
 * fsyncgate, 2018). Once thrown, every later write to the same storage throws it again.
 */
public class StorageFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageFailedException(String message) {
        super(message);
    }
}
