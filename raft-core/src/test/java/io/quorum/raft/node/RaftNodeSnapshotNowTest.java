package io.quorum.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.storage.MemoryStorage;
import io.quorum.raft.testing.Await;
import io.quorum.raft.transport.LocalNetwork;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftNode#snapshotNow()}: the state machine's bytes at one applied index, with that
 * index's term and configuration, taken on a follower while the log is being compacted.
 */
class RaftNodeSnapshotNowTest {

    private final Vertx vertx = Vertx.vertx();
    private final LocalNetwork network = new LocalNetwork(vertx);
    private final Map<String, RaftNode<Long>> nodes = new LinkedHashMap<>();
    private final Map<String, CounterStateMachine> machines = new LinkedHashMap<>();

    @AfterEach
    void tearDown() {
        nodes.values().forEach(RaftNode::close);
        vertx.close().await();
    }

    @Test
    void aFollowersSnapshotReflectsExactlyTheEntriesUpToItsIndex() {
        Membership bootstrap = Membership.ofVoters(Map.of("n1", "local:1", "n2", "local:2", "n3", "local:3"));
        for (String id : bootstrap.voters()) {
            CounterStateMachine machine = new CounterStateMachine();
            RaftNodeConfig config = RaftNodeConfig.defaults(id, bootstrap).withTick(Duration.ofMillis(25))
                    .withSnapshotEvery(7);
            RaftNode<Long> node = new RaftNode<>(config, new MemoryStorage(), machine,
                    inbound -> network.transport(id, inbound), System::currentTimeMillis);
            nodes.put(id, node);
            machines.put(id, machine);
        }
        nodes.values().forEach(n -> Await.result(n.start(), Duration.ofSeconds(10)));
        Await.until("a leader", Duration.ofSeconds(10), () -> nodes.values().stream()
                .anyMatch(n -> n.status() != null && n.status().role() == Role.LEADER));
        String follower = nodes.values().stream().filter(n -> n.status().role() != Role.LEADER).findFirst()
                .orElseThrow().id();
        RaftNode<Long> node = nodes.get(follower);

        for (int i = 1; i <= 40; i++) {
            Await.result(node.propose(CounterStateMachine.command(i)), Duration.ofSeconds(10));
            if (i % 10 == 0) {
                long barrier = Await.result(node.readBarrier(), Duration.ofSeconds(10));
                Snapshot snapshot = Await.result(node.snapshotNow(), Duration.ofSeconds(10));

                assertThat(snapshot.meta().index()).isGreaterThanOrEqualTo(barrier);
                assertThat(snapshot.meta().term()).isPositive().isLessThanOrEqualTo(node.status().term());
                assertThat(snapshot.meta().membership().voters()).isEqualTo(bootstrap.voters());
                CounterStateMachine copy = new CounterStateMachine();
                copy.restore(snapshot.data());
                long expectedSum = (long) i * (i + 1) / 2;
                assertThat(copy.sum()).as("the bytes hold every command acknowledged before").isEqualTo(expectedSum);
            }
        }
    }
}
