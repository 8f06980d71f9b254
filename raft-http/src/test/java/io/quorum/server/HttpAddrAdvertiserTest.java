package io.quorum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CoordConfig;
import io.quorum.raft.node.RaftNode;
import io.quorum.raft.node.RaftNodeConfig;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.storage.MemoryStorage;
import io.quorum.raft.testing.Await;
import io.quorum.raft.transport.LocalNetwork;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A single-node cluster: the node advertises its own address and, as leader, forgets non-members'. */
class HttpAddrAdvertiserTest {

    private final Vertx vertx = Vertx.vertx();
    private final CoordReplica replica = new CoordReplica(CoordConfig.DEFAULTS);
    private RaftNode<Applied> node;

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
        vertx.close().await();
    }

    @Test
    void advertisesItsOwnAddressAndForgetsMembersThatLeft() {
        LocalNetwork network = new LocalNetwork(vertx);
        RaftNodeConfig config = RaftNodeConfig.defaults("n1", Membership.ofVoters(Map.of("n1", "local:1")))
                .withTick(Duration.ofMillis(20));
        node = new RaftNode<>(config, new MemoryStorage(), replica, inbound -> network.transport("n1", inbound),
                System::currentTimeMillis);
        Await.result(node.start(), Duration.ofSeconds(10));
        Await.until("n1 leads", Duration.ofSeconds(10), () -> node.status() != null && "n1".equals(node.status().leader()));
        // A member that left the configuration, as a backup from another cluster might name it.
        Await.result(node.propose(CoordReplica.payloadOf(new Command.Advertise("n9", "10.0.0.9:7001"))),
                Duration.ofSeconds(10));

        HttpAddrAdvertiser advertiser = new HttpAddrAdvertiser(node, replica);
        advertiser.run();
        assertThat(addrs()).as("nothing to advertise before the API listens").doesNotContainKey("n1");
        advertiser.setHttpAddr("127.0.0.1:7001");
        Await.until("n1 advertised, n9 forgotten", Duration.ofSeconds(10), () -> {
            advertiser.run();
            return addrs().equals(Map.of("n1", "127.0.0.1:7001"));
        });

        // A barrier, not appliedIndex(): the replica shows an entry a moment before the node
        // publishes its applied index, so the latter could still lag what the loop above saw.
        long applied = Await.result(node.readBarrier(), Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            advertiser.run();
        }
        assertThat(Await.result(node.readBarrier(), Duration.ofSeconds(10))).as("nothing more proposed").isEqualTo(applied);
    }

    private Map<String, String> addrs() {
        return replica.read(m -> m.memberHttpAddrs());
    }
}
