package io.quorum.raft.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a NORMAL log entry as the node writes it: the proposing leader's clock (cluster
 * time), the node where the client's request arrived and that node's request id (so that node can
 * complete its caller when it applies the entry, wherever the leader was), then the command.
 *
 * <pre>
 *   byte  version (1)
 *   long  leaderTimeMillis
 *   short originLength, byte[originLength] origin (UTF-8)
 *   long  requestId
 *   byte[] command (the rest)
 * </pre>
 */
record CommandEnvelope(long leaderTimeMillis, String origin, long requestId, byte[] command) {

    private static final byte VERSION = 1;

    byte[] encode() {
        byte[] originBytes = origin.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 2 + originBytes.length + 8 + command.length);
        buf.put(VERSION).putLong(leaderTimeMillis).putShort((short) originBytes.length).put(originBytes)
                .putLong(requestId).put(command);
        return buf.array();
    }

    /** @throws IllegalArgumentException for bytes that are not an envelope of a known version */
    static CommandEnvelope decode(byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            byte version = buf.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown command envelope version " + version);
            }
            long time = buf.getLong();
            int originLength = Short.toUnsignedInt(buf.getShort());
            byte[] originBytes = new byte[originLength];
            buf.get(originBytes);
            long requestId = buf.getLong();
            byte[] command = new byte[buf.remaining()];
            buf.get(command);
            return new CommandEnvelope(time, new String(originBytes, StandardCharsets.UTF_8), requestId, command);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated command envelope", e);
        }
    }
}
