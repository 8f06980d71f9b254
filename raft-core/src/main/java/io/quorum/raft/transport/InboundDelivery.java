package io.quorum.raft.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * The last step of every transport's receive path: drops what is addressed to another node, counts
 * the rest and hands it to the node's handler, which must not take the connection down with it.
 */
final class InboundDelivery {

    private static final Logger log = LoggerFactory.getLogger(InboundDelivery.class);

    private final String nodeId;
    private final Consumer<PeerMessage> handler;
    private final TransportCounters counters;

    InboundDelivery(String nodeId, Consumer<PeerMessage> handler, TransportCounters counters) {
        this.nodeId = nodeId;
        this.handler = handler;
        this.counters = counters;
    }

    /** Called on the transport's event loop, one message at a time. */
    void deliver(PeerMessage message) {
        if (!nodeId.equals(message.to())) {
            // A peer that still has this address for a node that moved or was replaced.
            counters.misaddressed.increment();
            return;
        }
        counters.received.increment();
        try {
            handler.accept(message);
        } catch (RuntimeException e) {
            log.error("The inbound message handler failed on a message from {}", message.from(), e);
        }
    }
}
