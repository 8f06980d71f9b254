package io.quorum.raft.transport;

/**
 * A snapshot of a transport's counters, each counted since the transport was built.
 *
 * @param sent                 messages handed to a socket (or, in memory, delivered)
 * @param received             inbound messages handed to the handler
 * @param droppedQueueFull     sends dropped because the peer's queue was at its count or byte bound
 * @param droppedUnknownPeer   sends to an id that is not a current peer
 * @param droppedOther         sends dropped because they could not be encoded, the transport was
 *                             closed, or their peer was removed while they were queued
 * @param misaddressed         inbound messages addressed to another node id, dropped
 * @param malformedConnections inbound connections closed because they sent a malformed frame
 * @param connectFailures      outbound connection attempts that failed
 * @param queued               messages waiting in peer queues at the time of the snapshot
 */
public record TransportStats(long sent, long received, long droppedQueueFull, long droppedUnknownPeer,
                             long droppedOther, long misaddressed, long malformedConnections,
                             long connectFailures, long queued) {

    /** Every send that was dropped, whatever the reason. */
    public long dropped() {
        return droppedQueueFull + droppedUnknownPeer + droppedOther;
    }
}
