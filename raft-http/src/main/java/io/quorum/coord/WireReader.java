package io.quorum.coord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link WireWriter} wrote, from a byte array it does not trust: every length and
 * count is checked against the bytes that remain before anything is allocated, and every
 * problem is a {@link MalformedPayloadException} naming the offset.
 */
final class WireReader {

    private final byte[] data;
    private int pos;

    WireReader(byte[] data) {
        this.data = data;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return data.length - pos;
    }

    int byte_() {
        need(1, "byte");
        return data[pos++] & 0xFF;
    }

    long varLong() {
        int start = pos;
        long zigzag = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1, "varint");
            int b = data[pos++] & 0xFF;
            if (shift == 63 && (b & 0xFE) != 0) {
                break;
            }
            zigzag |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (zigzag >>> 1) ^ -(zigzag & 1);
            }
        }
        throw fail(start, "varint longer than 64 bits");
    }

    /** A non-negative number no larger than {@code max}. */
    long boundedLong(long max, String what) {
        int start = pos;
        long v = varLong();
        if (v < 0 || v > max) {
            throw fail(start, what + " out of range: " + v);
        }
        return v;
    }

    /** An element count, checked against the bytes left: each element takes at least {@code minElementBytes}. */
    int count(int minElementBytes, String what) {
        return (int) boundedLong(remaining() / Math.max(1, minElementBytes), what + " count");
    }

    byte[] bytes(int maxLength, String what) {
        int start = pos;
        long len = varLong();
        if (len < 0 || len > maxLength || len > remaining()) {
            throw fail(start, what + " length " + len + " is negative, over " + maxLength
                    + " or beyond the " + remaining() + " bytes left");
        }
        byte[] out = new byte[(int) len];
        System.arraycopy(data, pos, out, 0, out.length);
        pos += out.length;
        return out;
    }

    String string(int maxBytes, String what) {
        int start = pos;
        byte[] utf8 = bytes(maxBytes, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(start, what + " is not valid UTF-8");
        }
    }

    void expectEnd(String what) {
        if (pos != data.length) {
            throw fail(pos, remaining() + " unexpected bytes after the " + what);
        }
    }

    MalformedPayloadException fail(int offset, String message) {
        return new MalformedPayloadException(message + " (offset " + offset + " of " + data.length + ")");
    }

    private void need(int n, String what) {
        if (remaining() < n) {
            throw fail(pos, "truncated: " + what + " needs " + n + " bytes, " + remaining() + " left");
        }
    }
}
