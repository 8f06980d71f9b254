package io.quorum.raft.transport;

import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every transport's receive path: runs {@link FrameCheck} on each decoded frame,
 * counts and (rate-limited) logs what it drops, and hands the rest to the node's handler, which
 * must not take the connection down with it.
 *
 * <p>Threads: {@link #deliver} runs on the transport's event loop; {@link #setPeers} on any thread
 * (membership changes on the node's protocol thread). The peer set is one immutable value behind
 * a volatile field, so a frame is checked against one whole configuration, old or new.
 */
final class InboundDelivery {

    private static final Logger log = LoggerFactory.getLogger(InboundDelivery.class);

    private final String nodeId;
    private final Consumer<PeerMessage> handler;
    private final TransportCounters counters;
    private final RejectionLog rejections;
    private volatile Set<String> peers = Set.of();

    InboundDelivery(String nodeId, Consumer<PeerMessage> handler, TransportCounters counters, RejectionLog rejections) {
        this.nodeId = nodeId;
        this.handler = handler;
        this.counters = counters;
        this.rejections = rejections;
    }

    /** The ids frames are accepted from from now on; this node's own id is never one. */
    void setPeers(Set<String> ids) {
        Set<String> copy = new java.util.HashSet<>(ids);
        copy.remove(nodeId);
        peers = Set.copyOf(copy);
    }

    /** Called on the transport's event loop, one message at a time, for a frame that came from {@code origin}. */
    void deliver(PeerMessage message, ConnectionOrigin origin) {
        FrameCheck.Verdict verdict = FrameCheck.check(message, origin, nodeId, peers);
        if (verdict != null) {
            reject(origin, verdict.reason(), verdict.detail());
            return;
        }
        counters.received.increment();
        try {
            handler.accept(message);
        } catch (RuntimeException e) {
            log.error("The inbound message handler failed on a message from {}", message.from(), e);
        }
    }

    /** Counts a frame or connection refused for {@code reason}, and logs it unless its host was logged within the minute. */
    void reject(ConnectionOrigin origin, FrameRejection reason, String detail) {
        counters.rejected(reason).increment();
        rejections.report(origin, reason, detail);
    }
}
