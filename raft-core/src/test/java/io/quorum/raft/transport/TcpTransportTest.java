package io.quorum.raft.transport;

import io.quorum.raft.protocol.Message;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FreePorts;
import io.quorum.raft.transport.PeerMessage.ForwardProposal;
import io.quorum.raft.transport.PeerMessage.RaftFrame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TcpTransport} on real loopback sockets: ordering per link, reconnection, bounded queues,
 * back-pressure from a peer that stops reading, and malformed input. Every wait is on a condition
 * with a deadline.
 */
class TcpTransportTest {

    private static final String HOST = "127.0.0.1";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    private final List<TcpTransport> transports = new ArrayList<>();

    @AfterEach
    void closeAll() {
        transports.forEach(t -> Await.result(t.close()));
        Await.result(vertx.close());
    }

    @Test
    void threeNodesExchangeManyMessagesInOrderOnEveryLink() {
        int perLink = 5_000;
        String[] ids = {"a", "b", "c"};
        Map<String, Queue<PeerMessage>> inbox = new ConcurrentHashMap<>();
        Map<String, TcpTransport> nodes = new ConcurrentHashMap<>();
        List<Boolean> onEventLoop = new ArrayList<>();
        for (String id : ids) {
            Queue<PeerMessage> received = new ConcurrentLinkedQueue<>();
            inbox.put(id, received);
            nodes.put(id, started(id, 0, c -> c.withQueueBounds(3 * perLink, 1L << 30), m -> {
                if (received.isEmpty()) {
                    synchronized (onEventLoop) {
                        onEventLoop.add(Context.isOnEventLoopThread());
                    }
                }
                received.add(m);
            }));
        }
        Map<String, String> addresses = Map.of("a", address(nodes.get("a")), "b", address(nodes.get("b")),
                "c", address(nodes.get("c")));
        nodes.values().forEach(t -> t.setPeers(addresses));

        // Mostly small messages, some larger than one write batch, from three threads at once.
        List<Thread> senders = new ArrayList<>();
        for (String from : ids) {
            Thread sender = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(from.hashCode());
                for (int i = 0; i < perLink; i++) {
                    for (String to : ids) {
                        if (!to.equals(from)) {
                            nodes.get(from).send(sequenced(from, to, i, random));
                        }
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        senders.forEach(TcpTransportTest::join);

        for (String id : ids) {
            Await.until(DEADLINE, () -> inbox.get(id).size() == 2 * perLink,
                    () -> id + " received " + inbox.get(id).size() + "; stats " + nodes.get(id).stats());
        }
        for (String to : ids) {
            for (String from : ids) {
                if (!from.equals(to)) {
                    List<Long> link = inbox.get(to).stream().filter(m -> m.from().equals(from))
                            .map(TcpTransportTest::sequence).toList();
                    assertThat(link).as(from + " -> " + to).hasSize(perLink).isSorted().doesNotHaveDuplicates();
                }
            }
        }
        assertThat(onEventLoop).containsOnly(true);
        nodes.values().forEach(t -> assertThat(t.stats().dropped()).isZero());
    }

    @Test
    void aPeerThatComesUpLaterGetsWhatWasQueuedForIt() throws IOException {
        int port = FreePorts.next();
        TcpTransport a = started("a", 0, c -> c.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)), m -> { });
        a.setPeers(Map.of("b", HOST + ":" + port));
        a.send(LocalTransportTest.heartbeat("a", "b", 1));
        Await.until(DEADLINE, () -> a.stats().connectFailures() >= 2, () -> "a keeps trying: " + a.stats());

        Queue<PeerMessage> atB = new ConcurrentLinkedQueue<>();
        TcpTransport b = started("b", port, c -> c, atB::add);
        b.setPeers(Map.of("a", address(a)));
        Await.until(DEADLINE, () -> atB.size() == 1, () -> "b got the queued message; a: " + a.stats());

        // b goes down and comes back on the same address: a reconnects.
        Await.result(b.close());
        a.send(LocalTransportTest.heartbeat("a", "b", 2));
        Queue<PeerMessage> atB2 = new ConcurrentLinkedQueue<>();
        TcpTransport b2 = restarted("b", port, atB2::add);
        b2.setPeers(Map.of("a", address(a)));
        Await.until(DEADLINE, () -> {
            a.send(LocalTransportTest.heartbeat("a", "b", 3));
            return atB2.stream().anyMatch(m -> sequence(m) == 3);
        }, () -> "restarted b hears from a again; a: " + a.stats());
        assertThat(atB2).extracting(TcpTransportTest::sequence).isSorted();
        assertThat(b2.stats().malformedConnections()).isZero();
    }

    @Test
    void aFullQueueDropsInsteadOfGrowing() throws IOException {
        int nobody = FreePorts.next();
        TcpTransport a = started("a", 0, c -> c.withQueueBounds(10, 5_000)
                .withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)), m -> { });
        a.setPeers(Map.of("b", HOST + ":" + nobody, "c", HOST + ":" + FreePorts.next()));
        for (int i = 0; i < 1000; i++) {
            a.send(LocalTransportTest.heartbeat("a", "b", i));
        }
        // The count bound holds b's queue; for c, 1,000-byte commands reach the byte bound first.
        for (int i = 0; i < 100; i++) {
            a.send(new ForwardProposal("a", "c", i, new byte[1000]));
        }
        TransportStats stats = a.stats();
        assertThat(stats.queued()).isEqualTo(10 + 4);
        assertThat(stats.droppedQueueFull()).isEqualTo(990 + 96);
    }

    @Test
    void aPeerThatStopsReadingHoldsBackTheQueueAndGetsEverythingInOrderOnceItReads() throws Exception {
        int bound = 32;
        try (ServerSocket slowPeer = new ServerSocket(0)) {
            TcpTransport a = started("a", 0, c -> c.withQueueBounds(bound, 1L << 30), m -> { });
            a.setPeers(Map.of("b", HOST + ":" + slowPeer.getLocalPort()));
            a.send(bulk(0));
            try (Socket b = slowPeer.accept()) {
                // b reads nothing: once the kernel's buffers and the socket's write queue are full,
                // the transport stops draining and frames wait in its bounded queue.
                int offered = 1;
                while (offered < 2_000) {
                    // A second without room in the queue: the writes have stalled (an event loop
                    // merely slowed by a busy machine frees room well within that).
                    if (a.stats().queued() >= bound
                            && !Await.within(Duration.ofSeconds(1), () -> a.stats().queued() < bound)) {
                        break;
                    }
                    a.send(bulk(offered++));
                }
                assertThat(offered).as("writes stalled on a peer that does not read").isLessThan(2_000);
                assertThat(a.stats().sent()).isLessThan(offered);
                for (int i = 0; i < 10; i++) {
                    a.send(bulk(offered + i));
                }
                assertThat(a.stats().droppedQueueFull()).isEqualTo(10);

                // b reads again: the drain handler resumes and everything offered arrives in order.
                List<PeerMessage> received = readFrames(b, offered);
                assertThat(received).extracting(TcpTransportTest::sequence)
                        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, offered).boxed().toList());
            }
        }
    }

    @Test
    void aConnectionSendingGarbageIsClosedAndTheNodeKeepsServing() throws Exception {
        Queue<PeerMessage> atA = new ConcurrentLinkedQueue<>();
        TcpTransport a = started("a", 0, c -> c, atA::add);
        TcpTransport b = started("b", 0, c -> c, m -> { });
        b.setPeers(Map.of("a", address(a)));
        a.setPeers(Map.of("b", address(b)));

        byte[] wrongVersion = {0, 0, 0, 4, 9, 1, 0, 0};
        byte[] forgedLength = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 1};
        byte[] misaddressed = new PeerCodec().encode(LocalTransportTest.heartbeat("x", "zz", 0)).getBytes();
        for (byte[] garbage : List.of(wrongVersion, forgedLength)) {
            try (Socket raw = new Socket(HOST, a.port())) {
                raw.getOutputStream().write(misaddressed);
                raw.getOutputStream().write(garbage);
                raw.getOutputStream().flush();
                assertClosedByPeer(raw);
            }
        }
        assertThat(a.stats().malformedConnections()).isEqualTo(2);
        assertThat(a.stats().misaddressed()).isEqualTo(2);

        b.send(LocalTransportTest.heartbeat("b", "a", 7));
        Await.until(DEADLINE, () -> atA.size() == 1, () -> "a still serves b");
        assertThat(sequence(atA.peek())).isEqualTo(7);
    }

    @Test
    void framesFromStrangersAndImpossibleTermsAreDroppedAndCountedWhileMembersGetThrough() throws Exception {
        Queue<PeerMessage> atA = new ConcurrentLinkedQueue<>();
        TcpTransport a = started("a", 0, c -> c, atA::add);
        a.setPeers(Map.of("b", HOST + ":1"));
        PeerCodec codec = new PeerCodec();
        try (Socket raw = new Socket(HOST, a.port())) {
            for (PeerMessage hostile : List.of(
                    LocalTransportTest.heartbeat("intruder", "a", 1),
                    new RaftFrame(new Message.Heartbeat("b", "a", Long.MAX_VALUE, 0, 0)),
                    new RaftFrame(new Message.Heartbeat("", "a", 1, 0, 0)),
                    new ForwardProposal("intruder", "a", 1, new byte[] {1}),
                    new PeerMessage.ForwardAdmin("intruder", "a", 2, AdminOp.REMOVE_MEMBER, "b", ""),
                    LocalTransportTest.heartbeat("b", "a", 42))) {
                raw.getOutputStream().write(codec.encode(hostile).getBytes());
            }
            raw.getOutputStream().flush();
            Await.until(DEADLINE, () -> atA.size() == 1, () -> "the member's frame after the hostile ones: " + a.stats());
        }
        assertThat(sequence(atA.peek())).isEqualTo(42);
        TransportStats stats = a.stats();
        assertThat(stats.rejected(FrameRejection.NOT_A_MEMBER)).isEqualTo(3);
        assertThat(stats.rejected(FrameRejection.TERM_OVERFLOW)).isEqualTo(1);
        assertThat(stats.rejected(FrameRejection.MISSING_ID)).isEqualTo(1);
        assertThat(stats.malformedConnections()).isZero();
        assertThat(stats.received()).isEqualTo(1);
    }

    @Test
    void theHandlerRunsOnTheContextTheTransportWasBuiltOn() {
        Context nodeLoop = vertx.getOrCreateContext();
        Queue<Context> seen = new ConcurrentLinkedQueue<>();
        io.vertx.core.Promise<TcpTransport> built = io.vertx.core.Promise.promise();
        nodeLoop.runOnContext(v -> {
            TcpTransport b = new TcpTransport(vertx, TransportConfig.defaults("b", HOST, 0),
                    m -> seen.add(Vertx.currentContext()), new SplittableRandom(1));
            transports.add(b);
            b.start().map(b).onComplete(built);
        });
        TcpTransport b = Await.result(built.future());
        TcpTransport a = started("a", 0, c -> c, m -> { });
        a.setPeers(Map.of("b", address(b)));
        b.setPeers(Map.of("a", address(a)));
        for (int i = 0; i < 20; i++) {
            a.send(LocalTransportTest.heartbeat("a", "b", i));
        }
        Await.until(DEADLINE, () -> seen.size() == 20, () -> "b got " + seen.size());
        assertThat(seen).containsOnly(nodeLoop);
    }

    @Test
    void aPeerThatMovesIsReachedAtItsNewAddress() {
        Queue<PeerMessage> atOld = new ConcurrentLinkedQueue<>();
        Queue<PeerMessage> atNew = new ConcurrentLinkedQueue<>();
        TcpTransport oldB = started("b", 0, c -> c, atOld::add);
        TcpTransport newB = started("b", 0, c -> c, atNew::add);
        TcpTransport a = started("a", 0, c -> c, m -> { });
        oldB.setPeers(Map.of("a", address(a)));
        newB.setPeers(Map.of("a", address(a)));
        a.setPeers(Map.of("b", address(oldB)));
        a.send(LocalTransportTest.heartbeat("a", "b", 1));
        Await.until(DEADLINE, () -> atOld.size() == 1, () -> "old address reached");
        a.setPeers(Map.of("b", address(newB)));
        a.send(LocalTransportTest.heartbeat("a", "b", 2));
        Await.until(DEADLINE, () -> atNew.size() == 1, () -> "new address reached; a: " + a.stats());
        assertThat(sequence(atNew.peek())).isEqualTo(2);
        assertThat(atOld).hasSize(1);
    }

    @Test
    void sendNeverThrowsAndCountsEveryDrop() {
        TcpTransport a = started("a", 0, c -> c.withMaxFrameBytes(1024), m -> { });
        a.setPeers(Map.of("a", "ignored:1", "b", HOST + ":1"));
        a.send(null);
        a.send(LocalTransportTest.heartbeat("a", "nobody", 0));
        a.send(new ForwardProposal("a", "b", 1, new byte[2048]));
        a.setPeers(Map.of());
        a.send(LocalTransportTest.heartbeat("a", "b", 0));
        Await.result(a.close());
        a.send(LocalTransportTest.heartbeat("a", "b", 0));
        TransportStats stats = a.stats();
        assertThat(stats.droppedOther()).isEqualTo(3);
        assertThat(stats.droppedUnknownPeer()).isEqualTo(2);
        assertThat(a.start().failed()).isTrue();
    }

    @Test
    void aBadPeerAddressChangesNothing() {
        TcpTransport a = started("a", 0, c -> c, m -> { });
        a.setPeers(Map.of("b", HOST + ":7000"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.setPeers(Map.of("b", HOST + ":7000", "c", "nope")))
                .isInstanceOf(IllegalArgumentException.class);
        a.send(LocalTransportTest.heartbeat("a", "c", 0));
        assertThat(a.stats().droppedUnknownPeer()).isEqualTo(1);
    }

    private TcpTransport started(String id, int port, UnaryOperator<TransportConfig> tweak, Consumer<PeerMessage> inbound) {
        TransportConfig config = tweak.apply(TransportConfig.defaults(id, HOST, port));
        TcpTransport t = new TcpTransport(vertx, config, inbound, new SplittableRandom(id.hashCode()));
        transports.add(t);
        Await.result(t.start());
        return t;
    }

    /**
     * A transport listening again on {@code port}, retried while the port is still taken: with the
     * NIO transport a closed listening socket lets go of its port only at the event loop's next
     * select, a moment after its close has completed.
     */
    private TcpTransport restarted(String id, int port, Consumer<PeerMessage> inbound) {
        TcpTransport[] listening = new TcpTransport[1];
        Await.until(DEADLINE, () -> {
            TcpTransport t = new TcpTransport(vertx, TransportConfig.defaults(id, HOST, port), inbound,
                    new SplittableRandom(id.hashCode()));
            transports.add(t);
            try {
                Await.result(t.start());
                listening[0] = t;
                return true;
            } catch (AssertionError bindFailed) {
                return false;
            }
        }, () -> "port " + port + " free again");
        return listening[0];
    }

    private static String address(TcpTransport t) {
        return HOST + ":" + t.port();
    }

    /** A heartbeat carrying {@code i}, or one time in a hundred a forward of up to 300 KB. */
    private static PeerMessage sequenced(String from, String to, long i, SplittableRandom random) {
        if (random.nextInt(100) == 0) {
            return new ForwardProposal(from, to, i, new byte[random.nextInt(300_000)]);
        }
        return LocalTransportTest.heartbeat(from, to, i);
    }

    private static PeerMessage bulk(long i) {
        return new ForwardProposal("a", "b", i, new byte[64 * 1024]);
    }

    /** The sequence number a test message carries. */
    static long sequence(PeerMessage m) {
        if (m instanceof ForwardProposal p) {
            return p.requestId();
        }
        return ((Message.Heartbeat) ((RaftFrame) m).message()).commit();
    }

    private static List<PeerMessage> readFrames(Socket socket, int expected) throws IOException {
        List<PeerMessage> received = new ArrayList<>();
        FrameParser parser = new FrameParser(new PeerCodec(), received::add, e -> {
            throw new AssertionError("the transport wrote a malformed frame", e);
        });
        socket.setSoTimeout((int) DEADLINE.toMillis());
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        while (received.size() < expected) {
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("only " + received.size() + " of " + expected + " frames arrived", e);
            }
            if (n < 0) {
                break;
            }
            parser.handle(Buffer.buffer(java.util.Arrays.copyOf(chunk, n)));
        }
        return received;
    }

    private static void assertClosedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout((int) DEADLINE.toMillis());
        try {
            assertThat(socket.getInputStream().read()).as("the peer closes the connection").isEqualTo(-1);
        } catch (SocketException reset) {
            // A close with bytes still unread on the peer's side arrives as a reset: closed all the same.
            assertThat(reset).hasMessageContaining("reset");
        }
    }

    private static void join(Thread t) {
        try {
            t.join(DEADLINE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
