package io.quorum.raft.transport;

import io.quorum.raft.tls.CertificateReloader;
import io.quorum.raft.tls.TlsEngine;
import io.quorum.raft.tls.TlsMaterial;
import io.vertx.core.Context;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The {@link Transport} over TCP with Vert.x: a {@code NetServer} on the node's raft address for
 * inbound frames, and one lazily opened outbound connection per peer ({@link PeerConnection}).
 * Frames are {@link PeerCodec}'s; sockets use TCP_NODELAY, because Raft's messages are small and
 * latency-bound and batching already happens here, in the per-peer queues.
 *
 * <p>All socket work, and every call of the inbound handler, runs on one Vert.x event-loop context:
 * the one current when the transport is constructed (construct it on the node's own event loop
 * and the handler runs there, with no thread hop), or a fresh one when constructed elsewhere.
 *
 * <p>Every decoded frame passes {@link FrameCheck} before the handler sees it. An inbound
 * connection that sends a malformed frame is closed: the stream's framing cannot be trusted after
 * it, and the peer's reconnection starts clean. Both are counted by {@link FrameRejection} and
 * logged at most once a minute per remote host ({@link RejectionLog}).
 */
public final class TcpTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);

    private final Vertx vertx;
    private final Context context;
    private final TransportConfig config;
    private final InboundDelivery inbound;
    private final RandomGenerator random;
    private final PeerCodec codec;
    private final NetClient client;
    private final TransportCounters counters = new TransportCounters();
    private final Map<String, PeerConnection> peers = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile NetServer server;
    private volatile CertificateReloader reloader;
    /** Handshake failures carry no address: they are logged under one key, once a minute. */
    private final RejectionLog handshakeLog = new RejectionLog(System::nanoTime);

    /**
     * @param inbound receives every message addressed to {@code config.nodeId()}, on this
     *                transport's event loop; must not block (see {@link Transport})
     * @param random  jitter for reconnection backoff; used only on the event loop
     */
    public TcpTransport(Vertx vertx, TransportConfig config, Consumer<PeerMessage> inbound, RandomGenerator random) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.config = config;
        this.inbound = new InboundDelivery(config.nodeId(), inbound, counters, new RejectionLog(System::nanoTime));
        this.random = random;
        this.codec = new PeerCodec(config.maxFrameBytes());
        NetClientOptions clientOptions = new NetClientOptions()
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        if (config.tls() != null) {
            clientOptions.setSsl(true)
                    .setSslEngineOptions(TlsEngine.preferred())
                    .setKeyCertOptions(config.tls().material().keyCertOptions())
                    .setTrustOptions(config.tls().material().trustOptions())
                    .setHostnameVerificationAlgorithm("");
        }
        this.client = vertx.createNetClient(clientOptions);
    }

    @Override
    public Future<Void> start() {
        if (!started.compareAndSet(false, true) || closed) {
            return Future.failedFuture(new IllegalStateException("transport " + config.nodeId() + " was started before or is closed"));
        }
        Promise<Void> listening = Promise.promise();
        // Listen from the transport's context so that inbound connections are served on it.
        context.runOnContext(v -> {
            NetServerOptions serverOptions = new NetServerOptions()
                    .setHost(config.host())
                    .setPort(config.port())
                    .setTcpNoDelay(true)
                    .setTcpKeepAlive(true);
            PeerTls tls = config.tls();
            if (tls != null) {
                serverOptions.setSsl(true)
                        .setSslEngineOptions(TlsEngine.preferred())
                        .setKeyCertOptions(tls.material().keyCertOptions())
                        .setTrustOptions(tls.material().trustOptions())
                        .setClientAuth(ClientAuth.REQUIRED);
            }
            NetServer s = vertx.createNetServer(serverOptions);
            s.connectHandler(this::accept);
            s.exceptionHandler(this::handshakeFailed);
            server = s;
            s.listen().<Void>mapEmpty().onSuccess(listens -> {
                if (tls != null) {
                    reloader = CertificateReloader.start(vertx, "peer transport", tls.material(), tls.reloadInterval(),
                            this::useTls);
                    if (closed) {
                        // close() ran while the server was binding and found no reloader to stop.
                        reloader.stop();
                    }
                }
            }).onComplete(listening);
        });
        return listening.future();
    }

    /**
     * Renewed certificate files: new connections, inbound and outbound, use {@code material};
     * open ones keep theirs. Called on the transport's context by the reloader.
     */
    private Future<?> useTls(TlsMaterial material) {
        return Future.all(server.updateSSLOptions(PeerTls.serverOptions(material), true),
                client.updateSSLOptions(PeerTls.clientOptions(material), true));
    }

    /** A connection that failed before it was accepted: with TLS, a handshake refused (no certificate, another CA, not TLS). */
    private void handshakeFailed(Throwable failure) {
        counters.handshakeFailures.increment();
        if (handshakeLog.due("handshake")) {
            log.warn("Refused a connection to the Raft port in its TLS handshake: {}; refusals are counted in "
                    + "quorum_raft_peer_handshakes_failed_total and logged at most once a minute", failure.toString());
        }
    }

    /** The port the server listens on (the chosen one when configured with 0); 0 before listening. */
    public int port() {
        NetServer s = server;
        return s == null ? 0 : s.actualPort();
    }

    @Override
    public void send(PeerMessage message) {
        try {
            if (closed) {
                counters.droppedOther.increment();
                return;
            }
            PeerConnection peer = peers.get(message.to());
            if (peer == null) {
                counters.droppedUnknownPeer.increment();
                return;
            }
            if (!peer.hasRoom()) {
                counters.droppedQueueFull.increment();
                return;
            }
            switch (peer.offer(codec.encode(message))) {
                case QUEUED -> { }
                case QUEUE_FULL -> counters.droppedQueueFull.increment();
                case CLOSED -> counters.droppedOther.increment();
            }
        } catch (RuntimeException e) {
            // An unencodable message (CodecException), a null, or a rejected task at shutdown: the
            // contract is that the caller never sees it.
            counters.droppedOther.increment();
            log.debug("Dropped a message to {}: {}", message == null ? null : message.to(), e.toString());
        }
    }

    @Override
    public synchronized void setPeers(Map<String, String> idToHostPort) {
        Map<String, HostPort> wanted = new HashMap<>();
        idToHostPort.forEach((id, address) -> {
            if (!id.equals(config.nodeId())) {
                wanted.put(id, HostPort.parse(address));
            }
        });
        inbound.setPeers(wanted.keySet());
        List<PeerConnection> retired = new ArrayList<>();
        peers.forEach((id, connection) -> {
            HostPort address = wanted.get(id);
            if (address == null || !address.toString().equals(connection.address())) {
                retired.add(connection);
                peers.remove(id);
            }
        });
        if (!closed) {
            wanted.forEach((id, address) -> peers.computeIfAbsent(id, k -> new PeerConnection(id, address.host(),
                    address.port(), context, client, config, counters, new Backoff(config.minBackoff().toMillis(),
                    config.maxBackoff().toMillis(), random))));
        }
        retired.forEach(PeerConnection::close);
    }

    @Override
    public TransportStats stats() {
        return counters.snapshot(() -> peers.values().stream().mapToLong(PeerConnection::queuedMessages).sum());
    }

    /**
     * {@inheritDoc}
     *
     * <p>With Vert.x's NIO transport the listening socket lets go of its port at the event loop's
     * next select, a moment after the returned future completes: a transport started on the same
     * port at once (a node restarted inside one JVM) may fail to bind and should retry.
     */
    @Override
    public synchronized Future<Void> close() {
        closed = true;
        CertificateReloader r = reloader;
        if (r != null) {
            r.stop();
        }
        List<Future<Void>> closing = new ArrayList<>();
        peers.values().forEach(peer -> closing.add(peer.close()));
        peers.clear();
        NetServer s = server;
        if (s != null) {
            closing.add(s.close());
        }
        closing.add(client.close());
        return Future.join(closing).<Void>mapEmpty().otherwiseEmpty();
    }

    private void accept(NetSocket socket) {
        if (closed) {
            socket.close();
            return;
        }
        String address = String.valueOf(socket.remoteAddress());
        ConnectionOrigin origin = config.tls() == null
                ? ConnectionOrigin.plaintext(address)
                : new ConnectionOrigin(address, PeerTls.namesOf(socket));
        FrameParser parser = new FrameParser(codec, message -> inbound.deliver(message, origin), malformed -> {
            inbound.reject(origin, FrameRejection.MALFORMED, malformed.getMessage() + "; connection closed");
            socket.close();
        });
        socket.handler(parser);
        socket.exceptionHandler(e -> log.debug("Inbound raft connection from {} failed: {}", socket.remoteAddress(),
                e.toString()));
    }

    /** A {@code host:port} or {@code [v6]:port} peer address. */
    record HostPort(String host, int port) {

        static HostPort parse(String address) {
            int colon = address == null ? -1 : address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("peer address is not host:port: " + address);
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("peer address has no numeric port: " + address);
            }
            if (port < 1 || port > 65535 || host.isEmpty()) {
                throw new IllegalArgumentException("peer address out of range: " + address);
            }
            return new HostPort(host, port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
