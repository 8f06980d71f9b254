package io.quorum.server;

/** A backup file that cannot be restored: not a backup, an unknown version, truncated or corrupt. */
public final class InvalidBackupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidBackupException(String message) {
        super(message);
    }
}
