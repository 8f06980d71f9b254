package io.quorum.coord;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Appends the primitive encodings shared by {@link CommandCodec} and {@link SnapshotCodec}:
 * zigzag LEB128 variable-length longs (small numbers take one byte, negative ones stay short),
 * length-prefixed UTF-8 strings and byte arrays. {@link WireReader} reads them back.
 */
final class WireWriter {

    private final ByteArrayOutputStream out;

    WireWriter(int initialCapacity) {
        out = new ByteArrayOutputStream(initialCapacity);
    }

    WireWriter byte_(int b) {
        out.write(b);
        return this;
    }

    WireWriter varLong(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        return this;
    }

    WireWriter bytes(byte[] value) {
        varLong(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    WireWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    WireWriter raw(byte[] value) {
        out.write(value, 0, value.length);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
