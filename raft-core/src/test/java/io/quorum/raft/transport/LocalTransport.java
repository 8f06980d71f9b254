package io.quorum.raft.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The in-memory {@link Transport}, for tests that run several nodes in one JVM: the same contract
 * as {@link TcpTransport} (send never blocks or throws, bounded per link, per-link order, handler
 * on the node's event loop) without sockets, and with a {@link Firewall} to cut links.
 *
 * <p>A message goes from {@link #send} straight onto the receiver's context; nothing is queued for
 * a receiver that is not listening, as if its peer's TCP connection were down and the queue lost.
 * Firewall drops are network loss, invisible to the sender: they are counted apart from
 * {@link #stats()}, in {@link #droppedByFirewall()}.
 */
public final class LocalTransport implements Transport {

    private final LocalNetwork network;
    private final Context context;
    private final String nodeId;
    private final InboundDelivery inbound;
    private final PeerCodec codec = new PeerCodec();
    private final TransportCounters counters = new TransportCounters();
    private final LongAdder droppedByFirewall = new LongAdder();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Set<String> peers = Set.of();
    private volatile boolean closed;

    LocalTransport(LocalNetwork network, Context context, String nodeId, Consumer<PeerMessage> inbound) {
        this.network = network;
        this.context = context;
        this.nodeId = nodeId;
        this.inbound = new InboundDelivery(nodeId, inbound, counters, new RejectionLog(System::nanoTime));
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public Future<Void> start() {
        if (closed || !started.compareAndSet(false, true)) {
            return Future.failedFuture(new IllegalStateException(nodeId + " was already started"));
        }
        if (!network.register(this)) {
            return Future.failedFuture(new IllegalStateException("another transport listens as " + nodeId));
        }
        return Future.succeededFuture();
    }

    @Override
    public void send(PeerMessage message) {
        try {
            if (closed) {
                counters.droppedOther.increment();
                return;
            }
            String to = message.to();
            if (!peers.contains(to)) {
                counters.droppedUnknownPeer.increment();
                return;
            }
            PeerMessage copy = network.throughCodec() ? codec.decode(codec.encode(message)) : message;
            if (!network.firewall().allows(copy)) {
                droppedByFirewall.increment();
                return;
            }
            LocalTransport receiver = network.receiver(to);
            if (receiver == null) {
                return;
            }
            AtomicInteger link = inFlight.computeIfAbsent(to, k -> new AtomicInteger());
            if (link.incrementAndGet() > network.maxInFlightPerLink()) {
                link.decrementAndGet();
                counters.droppedQueueFull.increment();
                return;
            }
            counters.sent.increment();
            receiver.context.runOnContext(v -> {
                link.decrementAndGet();
                receiver.deliver(copy);
            });
        } catch (RuntimeException e) {
            counters.droppedOther.increment();
        }
    }

    private void deliver(PeerMessage message) {
        if (closed || network.receiver(nodeId) != this) {
            return;
        }
        if (!network.firewall().allows(message)) {
            droppedByFirewall.increment();
            return;
        }
        inbound.deliver(message, ConnectionOrigin.plaintext("local:" + message.from()));
    }

    /** Only the ids matter here; addresses are ignored. */
    @Override
    public void setPeers(Map<String, String> idToHostPort) {
        Set<String> ids = new HashSet<>(idToHostPort.keySet());
        ids.remove(nodeId);
        peers = Set.copyOf(ids);
        inbound.setPeers(peers);
    }

    @Override
    public TransportStats stats() {
        return counters.snapshot(() -> inFlight.values().stream().mapToLong(AtomicInteger::get).sum());
    }

    public long droppedByFirewall() {
        return droppedByFirewall.sum();
    }

    @Override
    public Future<Void> close() {
        closed = true;
        network.unregister(this);
        return Future.succeededFuture();
    }
}
