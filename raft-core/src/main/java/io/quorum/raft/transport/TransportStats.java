package io.quorum.raft.transport;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a transport's counters, each counted since the transport was built.
 *
 * @param sent               messages handed to a socket (or, in memory, delivered)
 * @param received           inbound messages handed to the handler
 * @param droppedQueueFull   sends dropped because the peer's queue was at its count or byte bound
 * @param droppedUnknownPeer sends to an id that is not a current peer
 * @param droppedOther       sends dropped because they could not be encoded, the transport was
 *                           closed, or their peer was removed while they were queued
 * @param connectFailures    outbound connection attempts that failed, TLS handshakes and peer
 *                           certificates that named another member included
 * @param handshakeFailures  inbound TLS connections refused before any frame: no certificate, one
 *                           from another CA, or a handshake that failed
 * @param rejected           inbound frames dropped before the node saw them, by reason (a
 *                           {@link FrameRejection#MALFORMED} one also closed its connection)
 * @param queued             messages waiting in peer queues at the time of the snapshot
 */
public record TransportStats(long sent, long received, long droppedQueueFull, long droppedUnknownPeer,
                             long droppedOther, long connectFailures, long handshakeFailures,
                             Map<FrameRejection, Long> rejected, long queued) {

    public TransportStats {
        EnumMap<FrameRejection, Long> all = new EnumMap<>(FrameRejection.class);
        for (FrameRejection reason : FrameRejection.values()) {
            all.put(reason, rejected.getOrDefault(reason, 0L));
        }
        rejected = java.util.Collections.unmodifiableMap(all);
    }

    /** Every send that was dropped, whatever the reason. */
    public long dropped() {
        return droppedQueueFull + droppedUnknownPeer + droppedOther;
    }

    /** Inbound frames dropped for {@code reason}. */
    public long rejected(FrameRejection reason) {
        return rejected.get(reason);
    }

    /** Inbound messages addressed to another node id, dropped. */
    public long misaddressed() {
        return rejected(FrameRejection.MISADDRESSED);
    }

    /** Inbound connections closed because they sent a malformed frame. */
    public long malformedConnections() {
        return rejected(FrameRejection.MALFORMED);
    }
}
