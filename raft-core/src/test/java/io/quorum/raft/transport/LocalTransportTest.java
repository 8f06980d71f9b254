package io.quorum.raft.transport;

import io.quorum.raft.testing.Await;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.transport.PeerMessage.RaftFrame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTransportTest {

    private final Vertx vertx = Vertx.vertx();
    private final LocalNetwork network = new LocalNetwork(vertx, 100, true);
    private final List<PeerMessage> atB = new CopyOnWriteArrayList<>();
    private final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeVertx() {
        Await.result(vertx.close());
    }

    @Test
    void messagesArriveInOrderOnTheEventLoopAsCopies() {
        LocalTransport a = started("a", m -> { });
        started("b", m -> {
            onEventLoop.add(Context.isOnEventLoopThread());
            atB.add(m);
        });
        a.setPeers(Map.of("a", "", "b", ""));
        network.receiver("b").setPeers(Map.of("a", ""));
        byte[] command = {1, 2, 3};
        PeerMessage.ForwardProposal forward = new PeerMessage.ForwardProposal("a", "b", 1, command);
        a.send(forward);
        for (int i = 0; i < 50; i++) {
            a.send(heartbeat("a", "b", i));
        }
        Await.until(Duration.ofSeconds(5), () -> atB.size() == 51, () -> "b got " + atB.size());
        assertThat(atB.get(0)).isEqualTo(forward);
        assertThat(((PeerMessage.ForwardProposal) atB.get(0)).command()).isNotSameAs(command);
        assertThat(atB.subList(1, 51)).extracting(TcpTransportTest::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(onEventLoop).containsOnly(true);
    }

    @Test
    void theFirewallCutsLinksOneWayAndHeals() {
        List<PeerMessage> atA = new CopyOnWriteArrayList<>();
        LocalTransport a = started("a", atA::add);
        LocalTransport b = started("b", atB::add);
        a.setPeers(Map.of("b", ""));
        b.setPeers(Map.of("a", ""));
        network.firewall().block("a", "b");
        a.send(heartbeat("a", "b", 1));
        b.send(heartbeat("b", "a", 1));
        Await.until(Duration.ofSeconds(5), () -> atA.size() == 1, () -> "b to a still flows");
        assertThat(a.droppedByFirewall()).isEqualTo(1);

        network.firewall().heal();
        network.firewall().dropIf(m -> m instanceof RaftFrame f && f.message() instanceof Message.Heartbeat h
                && h.commit() == 2);
        a.send(heartbeat("a", "b", 2));
        a.send(heartbeat("a", "b", 3));
        Await.until(Duration.ofSeconds(5), () -> atB.size() == 1, () -> "healed link carries a to b");
        assertThat(TcpTransportTest.sequence(atB.get(0))).isEqualTo(3);

        network.firewall().heal();
        network.firewall().isolate("b");
        b.send(heartbeat("b", "a", 4));
        assertThat(b.droppedByFirewall()).isEqualTo(1);
    }

    @Test
    void unknownPeersFullLinksAndClosedTransportsDropWithoutThrowing() {
        LocalNetwork tight = new LocalNetwork(vertx, 3, false);
        LocalTransport a = tight.transport("a", m -> { });
        Await.result(a.start());
        a.setPeers(Map.of("b", ""));
        a.send(heartbeat("a", "c", 0));
        a.send(null);
        // b's handler runs on this context, so nothing is delivered before the burst ends: the
        // link holds three and drops seven.
        Context context = vertx.getOrCreateContext();
        io.vertx.core.Promise<Void> burst = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            LocalTransport b = tight.transport("b", m -> { });
            b.start().onSuccess(ignored -> {
                for (int i = 0; i < 10; i++) {
                    a.send(heartbeat("a", "b", i));
                }
            }).onComplete(burst);
        });
        Await.result(burst.future());
        TransportStats stats = a.stats();
        assertThat(stats.droppedUnknownPeer()).isEqualTo(1);
        assertThat(stats.droppedOther()).isEqualTo(1);
        assertThat(stats.sent()).isEqualTo(3);
        assertThat(stats.droppedQueueFull()).isEqualTo(7);
        Await.result(a.close());
        a.send(heartbeat("a", "b", 11));
        assertThat(a.stats().droppedOther()).isEqualTo(2);
        assertThat(a.start().failed()).isTrue();
    }

    @Test
    void aClosedNodeMissesMessagesAndARestartedOneUnderTheSameIdGetsThem() {
        LocalTransport a = started("a", m -> { });
        LocalTransport b = started("b", m -> { });
        a.setPeers(Map.of("b", ""));
        Await.result(b.close());
        a.send(heartbeat("a", "b", 1));
        List<PeerMessage> atRestartedB = new CopyOnWriteArrayList<>();
        started("b", atRestartedB::add).setPeers(Map.of("a", ""));
        assertThat(network.transport("b", m -> { }).start().failed()).as("one listener per id").isTrue();
        a.send(heartbeat("a", "b", 2));
        Await.until(Duration.ofSeconds(5), () -> atRestartedB.size() == 1, () -> "restarted b hears a");
        assertThat(TcpTransportTest.sequence(atRestartedB.get(0))).isEqualTo(2);
    }

    private LocalTransport started(String id, java.util.function.Consumer<PeerMessage> handler) {
        LocalTransport t = network.transport(id, handler);
        Await.result(t.start());
        return t;
    }

    static PeerMessage heartbeat(String from, String to, long sequence) {
        return new RaftFrame(new Message.Heartbeat(from, to, 1, sequence, 0));
    }
}
