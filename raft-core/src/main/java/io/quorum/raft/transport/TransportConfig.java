package io.quorum.raft.transport;

import java.time.Duration;

/**
 * Settings of a {@link TcpTransport}, validated once at construction.
 *
 * @param nodeId            this node's id; inbound messages addressed to any other id are dropped
 * @param host              the address to listen on (the node's raft address)
 * @param port              the port to listen on; 0 picks a free one (tests)
 * @param maxFrameBytes     the largest frame written or accepted, length field included; must hold
 *                          the largest AppendEntries or snapshot chunk the protocol builds
 * @param maxQueuedMessages messages queued per peer before sends to it are dropped
 * @param maxQueuedBytes    encoded bytes queued per peer before sends to it are dropped
 * @param maxBatchBytes     bytes gathered from a peer's queue into one socket write
 * @param minBackoff        the first delay before reconnecting to a peer that went away
 * @param maxBackoff        the longest delay between reconnection attempts
 * @param connectTimeout    how long one connection attempt may take
 * @param tls               mutual TLS on every connection, or null for plaintext (a network that
 *                          only members can reach)
 */
public record TransportConfig(
        String nodeId,
        String host,
        int port,
        int maxFrameBytes,
        int maxQueuedMessages,
        long maxQueuedBytes,
        int maxBatchBytes,
        Duration minBackoff,
        Duration maxBackoff,
        Duration connectTimeout,
        PeerTls tls) {

    public TransportConfig {
        if (nodeId == null || nodeId.isEmpty() || host == null || host.isEmpty()) {
            throw new IllegalArgumentException("nodeId and host are required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxFrameBytes < PeerCodec.HEADER_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        if (maxQueuedMessages < 1 || maxQueuedBytes < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("queue and batch bounds must be >= 1");
        }
        if (minBackoff == null || maxBackoff == null || connectTimeout == null
                || minBackoff.toMillis() < 1 || maxBackoff.compareTo(minBackoff) < 0 || connectTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("need 1 ms <= minBackoff <= maxBackoff and connectTimeout >= 1 ms");
        }
    }

    /**
     * The defaults: 64 MiB frames; 4,096 messages or 16 MiB queued per peer; 256 KiB per write;
     * reconnect after 50 ms doubling to 2 s; 1 s to connect.
     */
    public static TransportConfig defaults(String nodeId, String host, int port) {
        return new TransportConfig(nodeId, host, port, PeerCodec.DEFAULT_MAX_FRAME_BYTES, 4096, 16L << 20, 256 << 10,
                Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(1), null);
    }

    public TransportConfig withQueueBounds(int messages, long bytes) {
        return new TransportConfig(nodeId, host, port, maxFrameBytes, messages, bytes, maxBatchBytes,
                minBackoff, maxBackoff, connectTimeout, tls);
    }

    public TransportConfig withBackoff(Duration min, Duration max) {
        return new TransportConfig(nodeId, host, port, maxFrameBytes, maxQueuedMessages, maxQueuedBytes, maxBatchBytes,
                min, max, connectTimeout, tls);
    }

    public TransportConfig withMaxFrameBytes(int bytes) {
        return new TransportConfig(nodeId, host, port, bytes, maxQueuedMessages, maxQueuedBytes, maxBatchBytes,
                minBackoff, maxBackoff, connectTimeout, tls);
    }

    /** These settings with mutual TLS ({@code null}: plaintext). */
    public TransportConfig withTls(PeerTls peerTls) {
        return new TransportConfig(nodeId, host, port, maxFrameBytes, maxQueuedMessages, maxQueuedBytes, maxBatchBytes,
                minBackoff, maxBackoff, connectTimeout, peerTls);
    }
}
