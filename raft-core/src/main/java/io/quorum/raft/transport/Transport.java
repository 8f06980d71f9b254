package io.quorum.raft.transport;

import io.vertx.core.Future;

import java.util.Map;

/**
 * Carries {@link PeerMessage}s between the nodes of one cluster. Delivery is best effort: a message
 * may be lost, and Raft's retries make up for it; what a transport guarantees is that the messages
 * one node sends another arrive in the order they were sent, possibly with gaps, and that sending
 * never holds up the caller.
 *
 * <p>Inbound messages go to the handler given to the implementation's constructor. It is called
 * on a Vert.x event-loop thread, one message at a time per transport, and must not block: hand the
 * message to the node's own loop or act on it at once. A handler that throws loses that message
 * only; the connection stays up.
 *
 * <p>Two implementations sit side by side: {@code TcpTransport} over Vert.x sockets, and the
 * in-memory {@code LocalTransport} test fixture with a firewall.
 */
public interface Transport {

    /**
     * Starts accepting inbound connections. Call once. Does not block and does not throw: the
     * future fails when the address cannot be bound, or when the transport was started before.
     *
     * @return completed once the transport is listening
     */
    Future<Void> start();

    /**
     * Queues {@code message} for its receiver, {@link PeerMessage#to()}. Never blocks and never
     * throws, whichever thread calls it: a message to an unknown peer, one that does not fit the
     * peer's bounded queue, one that cannot be encoded, and any sent after {@link #close()} is
     * dropped and counted in {@link #stats()}. May be called before {@link #start()}.
     */
    void send(PeerMessage message);

    /**
     * Replaces the set of peers this node sends to: ids not in {@code idToHostPort} are closed and
     * their queued messages dropped, new ids are added (and connected on their first message), and
     * an id whose address changed is reconnected. An entry for this node itself is ignored. The same
     * ids are the only ones inbound frames are accepted from: a node listens to exactly the peers it
     * would answer. Does not block; may be called from any thread, as membership changes.
     *
     * @param idToHostPort peer id to {@code host:port} ({@code [v6-address]:port} for IPv6)
     * @throws IllegalArgumentException when an address is not of that form; no peer is changed then
     */
    void setPeers(Map<String, String> idToHostPort);

    /** Counters since construction: messages sent, received and dropped, and why. Never blocks. */
    TransportStats stats();

    /**
     * Stops listening, closes every connection and drops whatever is still queued. Does not block;
     * safe to call more than once.
     *
     * @return completed once sockets are closed; never failed
     */
    Future<Void> close();
}
