package io.quorum.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP endpoint that takes HTTP requests and never answers them: it either drops the connection
 * once a request has arrived (a node that died mid-request) or holds it open (a node that hangs).
 * It counts the requests it received, so a test can tell whether a client sent one again.
 */
final class SilentServer implements AutoCloseable {

    enum Behaviour { DROP_AFTER_REQUEST, HOLD }

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                awaitRequestHead(connection.getInputStream());
                requests.incrementAndGet();
                if (behaviour == Behaviour.DROP_AFTER_REQUEST) {
                    connection.close();
                } else {
                    held.add(connection);
                }
            } catch (IOException e) {
                // Closed, or the client went away: accept the next one.
            }
        }
    }

    /** Reads up to the blank line that ends the request's headers. */
    private static void awaitRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < end.length && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
