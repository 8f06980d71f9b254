package io.quorum.it.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorum.raft.testing.Await;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy on frames shaped like the peer codec's ({@code int32 length, version, type, string from,
 * …}): it learns the sender from the first frame and passes, drops, delays or resets per link.
 */
class FaultProxyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private ServerSocket upstream;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private Network network;

    @BeforeEach
    void startUpstreamAndProxy() throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!upstream.isClosed()) {
                try {
                    Socket s = upstream.accept();
                    Thread reader = new Thread(() -> readFrames(s));
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        int proxyPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            proxyPort = probe.getLocalPort();
        }
        network = new Network(Map.of("n2", proxyPort), Map.of("n2", upstream.getLocalPort()));
    }

    @AfterEach
    void close() throws IOException {
        network.close();
        upstream.close();
    }

    private void readFrames(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                int length = ((frame[2] & 0xff) << 24) | ((frame[3] & 0xff) << 16) | ((frame[4] & 0xff) << 8) | (frame[5] & 0xff);
                String from = new String(frame, 6, length, StandardCharsets.UTF_8);
                received.add(from + ":" + new String(frame, 6 + length, frame.length - 6 - length, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The proxy closed or reset the link.
        }
    }

    private Socket dial() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), network.port("n2"));
    }

    private static void send(Socket socket, String from, String payload) throws IOException {
        byte[] sender = from.getBytes(StandardCharsets.UTF_8);
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(2 + 4 + sender.length + body.length);
        out.writeByte(1);
        out.writeByte(5);
        out.writeInt(sender.length);
        out.write(sender);
        out.write(body);
        out.flush();
    }

    private String next() throws InterruptedException {
        String frame = received.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(frame).as("a frame through the proxy").isNotNull();
        return frame;
    }

    @Test
    void framesPassUntilTheLinkIsBlackholedAndPassAgainAfterTheHeal() throws Exception {
        try (Socket socket = dial()) {
            send(socket, "n1", "one");
            assertThat(next()).isEqualTo("n1:one");
            network.cut("n1", "n2", LinkRule.BLACKHOLE);
            send(socket, "n1", "lost");
            Await.until("the frame is dropped", DEADLINE, () -> network.dropped() == 1);
            assertThat(network.rule("n3", "n2")).as("other links pass").isEqualTo(LinkRule.PASS);
            network.heal();
            send(socket, "n1", "two");
            assertThat(next()).as("the stream stays framed").isEqualTo("n1:two");
        }
    }

    @Test
    void rulesApplyPerSourceLearnedFromTheFirstFrame() throws Exception {
        network.partition(LinkRule.BLACKHOLE, List.of(Set.of("n1"), Set.of("n2", "n3")));
        try (Socket fromN1 = dial(); Socket fromN3 = dial()) {
            send(fromN1, "n1", "cut");
            send(fromN3, "n3", "same side");
            assertThat(next()).isEqualTo("n3:same side");
            Await.until("n1's frame is dropped", DEADLINE, () -> network.dropped() == 1);
            assertThat(received).isEmpty();
        }
    }

    @Test
    void aResetLinkEndsItsConnectionsAndRefusesNewOnes() throws Exception {
        try (Socket socket = dial()) {
            send(socket, "n1", "one");
            assertThat(next()).isEqualTo("n1:one");
            network.set("n1", "n2", LinkRule.RESET);
            InputStream in = socket.getInputStream();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    send(socket, "n1", "x");
                    if (in.read() < 0) {
                        throw new IOException("closed");
                    }
                }
            }).isInstanceOf(IOException.class);
        }
        try (Socket again = dial()) {
            send(again, "n1", "refused");
            assertThat(again.getInputStream().read()).as("reset as soon as the source is known").isEqualTo(-1);
        } catch (IOException expected) {
            // Connection reset: what a RESET rule does.
        }
        assertThat(received).isEmpty();
    }

    @Test
    void aDelayedLinkDeliversInOrderAfterTheDelay() throws Exception {
        network.set("n1", "n2", LinkRule.delay(Duration.ofMillis(300)));
        try (Socket socket = dial()) {
            long start = System.nanoTime();
            send(socket, "n1", "a");
            send(socket, "n1", "b");
            assertThat(next()).isEqualTo("n1:a");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
            assertThat(next()).isEqualTo("n1:b");
        }
    }
}
