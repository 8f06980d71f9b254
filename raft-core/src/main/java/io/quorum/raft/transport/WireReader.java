package io.quorum.raft.transport;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one frame's bytes. Every read checks the bytes remaining first, and every count or
 * length is checked against them before anything is allocated, so a forged length can neither
 * read past the frame nor make the decoder allocate more than the frame's own size.
 */
final class WireReader {

    private final Buffer bytes;
    private final int end;
    private int position;

    WireReader(Buffer bytes, int start, int end) {
        this.bytes = bytes;
        this.position = start;
        this.end = end;
    }

    int remaining() {
        return end - position;
    }

    byte readByte() {
        need(1, "byte");
        return bytes.getByte(position++);
    }

    boolean readBoolean() {
        byte b = readByte();
        if (b != 0 && b != 1) {
            throw new CodecException("boolean byte " + b + " at offset " + (position - 1));
        }
        return b == 1;
    }

    int readInt() {
        need(4, "int");
        int v = bytes.getInt(position);
        position += 4;
        return v;
    }

    long readLong() {
        need(8, "long");
        long v = bytes.getLong(position);
        position += 8;
        return v;
    }

    /**
     * A count of elements that each take at least {@code minElementBytes}: checked against the bytes
     * remaining, so a forged count fails here instead of sizing a collection.
     */
    int readCount(int minElementBytes, String what) {
        int n = readInt();
        if (n < 0 || (long) n * minElementBytes > remaining()) {
            throw new CodecException(what + " count " + n + " does not fit the " + remaining() + " bytes left");
        }
        return n;
    }

    /** An int length followed by that many bytes. */
    byte[] readBytes(String what) {
        return take(readInt(), what);
    }

    /** A string written by {@link PeerCodec}: an int length (-1 for null) and strict UTF-8. */
    String readString(String what) {
        int n = readInt();
        if (n == -1) {
            return null;
        }
        byte[] utf8 = take(n, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(what + " is not valid UTF-8", e);
        }
    }

    /** Fails unless every byte of the frame was read: trailing bytes mean a writer we do not understand. */
    void expectEnd(String what) {
        if (position != end) {
            throw new CodecException(remaining() + " unread bytes after " + what);
        }
    }

    /** The next {@code n} bytes, {@code n} being a length just read from the frame. */
    private byte[] take(int n, String what) {
        if (n < 0 || n > remaining()) {
            throw new CodecException(what + " length " + n + " does not fit the " + remaining() + " bytes left");
        }
        byte[] out = bytes.getBytes(position, position + n);
        position += n;
        return out;
    }

    private void need(int n, String what) {
        if (remaining() < n) {
            throw new CodecException("frame ends inside a " + what + " at offset " + position);
        }
    }
}
