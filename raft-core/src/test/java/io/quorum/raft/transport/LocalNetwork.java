package io.quorum.raft.transport;

import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An in-JVM network of {@link LocalTransport}s, one per node id, with a {@link Firewall}. A node
 * is reachable while its transport is started and not closed; a restarted node registers a new
 * transport under the same id.
 */
public final class LocalNetwork {

    private final Vertx vertx;
    private final Firewall firewall = new Firewall();
    private final Map<String, LocalTransport> listening = new ConcurrentHashMap<>();
    private final int maxInFlightPerLink;
    private final boolean throughCodec;

    /** A network whose links hold 4,096 undelivered messages each and copy every message through the codec. */
    public LocalNetwork(Vertx vertx) {
        this(vertx, 4096, true);
    }

    /**
     * @param maxInFlightPerLink messages sent on one link and not yet delivered before sends on it
     *                           are dropped, as a TCP transport's bounded queue would
     * @param throughCodec       encode and decode every message, so receivers never share arrays
     *                           with senders and every message of a node test also tests the codec
     */
    public LocalNetwork(Vertx vertx, int maxInFlightPerLink, boolean throughCodec) {
        this.vertx = vertx;
        this.maxInFlightPerLink = maxInFlightPerLink;
        this.throughCodec = throughCodec;
    }

    public Firewall firewall() {
        return firewall;
    }

    /**
     * A transport for {@code nodeId}. Its handler runs on the Vert.x context current here (or a new
     * one when called off Vert.x threads), as {@link TcpTransport}'s does.
     */
    public LocalTransport transport(String nodeId, Consumer<PeerMessage> inbound) {
        return new LocalTransport(this, vertx.getOrCreateContext(), nodeId, inbound);
    }

    int maxInFlightPerLink() {
        return maxInFlightPerLink;
    }

    boolean throughCodec() {
        return throughCodec;
    }

    boolean register(LocalTransport transport) {
        return listening.putIfAbsent(transport.nodeId(), transport) == null;
    }

    void unregister(LocalTransport transport) {
        listening.remove(transport.nodeId(), transport);
    }

    LocalTransport receiver(String nodeId) {
        return listening.get(nodeId);
    }
}
