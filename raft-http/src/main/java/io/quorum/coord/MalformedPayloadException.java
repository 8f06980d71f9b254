package io.quorum.coord;

/**
 * Thrown when bytes read from the log or from a snapshot are not a valid encoding: a wrong
 * magic or format version, an unknown tag, a length beyond what remains, bad UTF-8 or bytes left
 * over. Decoding never trusts a length before checking it against the bytes that remain, so
 * garbage fails fast instead of looping or allocating.
 */
public final class MalformedPayloadException extends IllegalArgumentException {

    public MalformedPayloadException(String message) {
        super(message);
    }
}
