package io.quorum.it.nemesis;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of one node's Raft transport: peers dial the proxy (the address the
 * membership names) and it forwards to where the node listens ({@code --raft-listen-addr}). Peer
 * connections carry one direction each (a node dials every peer it sends to), and every frame of
 * the peer codec opens with its sender's id, so the proxy learns a connection's source from its
 * first frame and applies the {@link LinkRule} of the link source → this node to every frame after:
 * pass, blackhole (read and drop), reset, or delay. Rules are asked per frame, so a change takes
 * effect at once on open connections; a change to {@link LinkRule.Kind#RESET} resets them.
 *
 * <p>Plain blocking sockets, two threads per connection (reader, and writer for delayed frames):
 * a handful of links on loopback, and no code shared with the product's transport.
 */
public final class FaultProxy implements AutoCloseable {

    /** The frame header of {@code PeerCodec}: int32 length, byte version, byte type. */
    private static final int HEADER_BYTES = 6;
    private static final int MAX_FRAME_BYTES = 64 << 20;

    private final String destination;
    private final InetSocketAddress upstream;
    private final BiFunction<String, String, LinkRule> rules;
    private final ServerSocket server;
    private final Set<Link> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Listens on {@code port} of loopback (0: any free port) and forwards to {@code upstreamPort}.
     *
     * @param rules the rule of a link, from (source id, destination id); asked for every frame
     */
    public FaultProxy(String destination, int port, int upstreamPort, BiFunction<String, String, LinkRule> rules)
            throws IOException {
        this.destination = destination;
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.rules = rules;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.acceptor = daemon("proxy-" + destination + "-accept", this::acceptLoop);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Frames dropped so far by blackhole rules. */
    public long dropped() {
        return dropped.get();
    }

    /** Resets the open connections whose link now has a {@link LinkRule.Kind#RESET} rule. */
    public void enforceResets() {
        for (Link link : open) {
            String source = link.source;
            if (source != null && rules.apply(source, destination).kind() == LinkRule.Kind.RESET) {
                link.reset();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket inbound = server.accept();
                Link link = new Link(inbound);
                open.add(link);
                daemon("proxy-" + destination + "-link", link::run).start();
            } catch (IOException e) {
                if (!closed) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One frame held until it is due. */
    private record Held(byte[] bytes, long dueNanos) {}

    /** One inbound peer connection and its upstream connection to the node. */
    private final class Link {
        private final Socket inbound;
        private final LinkedBlockingQueue<Held> outgoing = new LinkedBlockingQueue<>();
        private volatile Socket outbound;
        private volatile String source;
        private volatile boolean done;

        Link(Socket inbound) {
            this.inbound = inbound;
        }

        void run() {
            Thread writer = null;
            try {
                inbound.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(inbound.getInputStream());
                byte[] first = readFrame(in);
                source = senderOf(first);
                if (rules.apply(source, destination).kind() == LinkRule.Kind.RESET) {
                    reset();
                    return;
                }
                Socket up = new Socket();
                up.setTcpNoDelay(true);
                up.connect(upstream, 2000);
                outbound = up;
                writer = daemon("proxy-" + source + "-" + destination + "-write", () -> writeLoop(up));
                writer.start();
                daemon("proxy-" + destination + "-" + source + "-back", () -> pump(up, inbound)).start();
                for (byte[] frame = first; !done; frame = readFrame(in)) {
                    LinkRule rule = rules.apply(source, destination);
                    switch (rule.kind()) {
                        case PASS -> outgoing.put(new Held(frame, System.nanoTime()));
                        case DELAY -> outgoing.put(new Held(frame, System.nanoTime() + rule.delay().toNanos()));
                        case BLACKHOLE -> dropped.incrementAndGet();
                        case RESET -> {
                            reset();
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // The peer or the node went away, or a reset ended the link: the peer reconnects.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
                if (writer != null) {
                    writer.interrupt();
                }
            }
        }

        private void writeLoop(Socket up) {
            try {
                OutputStream out = up.getOutputStream();
                while (!done) {
                    Held held = outgoing.take();
                    long wait;
                    while ((wait = held.dueNanos() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                        if (done) {
                            return;
                        }
                    }
                    out.write(held.bytes());
                    if (outgoing.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Anything the node writes back goes through untouched (peer connections carry one direction). */
        private void pump(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // Ends with the link.
            } finally {
                close();
            }
        }

        /** RST rather than FIN: the peer sees "connection reset". */
        void reset() {
            try {
                inbound.setSoLinger(true, 0);
            } catch (SocketException e) {
                // Closing below still ends the link.
            }
            close();
        }

        void close() {
            done = true;
            open.remove(this);
            quietly(inbound);
            Socket up = outbound;
            if (up != null) {
                quietly(up);
            }
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 2 || length > MAX_FRAME_BYTES) {
            throw new EOFException("not a peer frame: length " + length);
        }
        byte[] frame = new byte[4 + length];
        ByteBuffer.wrap(frame).putInt(length);
        in.readFully(frame, 4, length);
        return frame;
    }

    /** Every payload opens with {@code string from}: int32 length and UTF-8 bytes. */
    private static String senderOf(byte[] frame) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        buffer.position(HEADER_BYTES);
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new EOFException("a peer frame without a sender");
        }
        return new String(frame, buffer.position(), length, StandardCharsets.UTF_8);
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed or reset.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        open.forEach(Link::close);
    }
}
