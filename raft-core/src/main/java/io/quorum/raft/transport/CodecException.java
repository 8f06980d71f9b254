package io.quorum.raft.transport;

/**
 * Bytes that are not a well-formed frame of a version this node speaks, or a message that cannot be
 * framed (too large, a string the format cannot carry). The only exception {@link PeerCodec}
 * throws: whatever arrives on a socket, the decoder answers with a message or with this.
 */
public final class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
