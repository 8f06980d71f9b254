package io.quorum.raft.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A single-server membership change (thesis §4.1). Each change adds or removes at most one voter,
 * so any majority of the old configuration overlaps any majority of the new one. A new server
 * joins as a {@link Type#ADD_LEARNER learner} and is {@link Type#PROMOTE promoted} once it has
 * caught up, so it never holds back commits while it copies the log.
 *
 * @param address the peer address of the node, carried in the log so every member learns where
 *                to reach it; empty when not known or not needed (promote, remove)
 */
public record ConfChange(Type type, String nodeId, String address) {

    private static final byte FORMAT_VERSION = 1;

    public enum Type {
        ADD_LEARNER,
        PROMOTE,
        REMOVE
    }

    public ConfChange {
        if (type == null || nodeId == null || nodeId.isEmpty()) {
            throw new IllegalArgumentException("type and nodeId are required");
        }
        if (address == null) {
            address = "";
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeByte(type.ordinal());
            out.writeUTF(nodeId);
            out.writeUTF(address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a ConfChange of a known version */
    public static ConfChange decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown ConfChange format version " + version);
            }
            int typeOrdinal = in.readByte();
            if (typeOrdinal < 0 || typeOrdinal >= Type.values().length) {
                throw new IllegalArgumentException("unknown ConfChange type " + typeOrdinal);
            }
            return new ConfChange(Type.values()[typeOrdinal], in.readUTF(), in.readUTF());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed ConfChange", e);
        }
    }
}
