package io.quorum.raft.tls;

/** A certificate, key or CA file that cannot be used: missing, unreadable, not PEM, or a key that does not match its certificate. */
public final class TlsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
