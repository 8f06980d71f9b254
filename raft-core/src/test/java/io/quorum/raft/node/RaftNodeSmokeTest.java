package io.quorum.raft.node;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.testing.Await;
import io.quorum.raft.storage.MemoryStorage;
import io.quorum.raft.transport.LocalNetwork;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class RaftNodeSmokeTest {

    private final Vertx vertx = Vertx.vertx();
    private final LocalNetwork network = new LocalNetwork(vertx);
    private final Map<String, RaftNode<Long>> nodes = new LinkedHashMap<>();
    private final Map<String, CounterStateMachine> machines = new LinkedHashMap<>();

    @AfterEach
    void tearDown() {
        nodes.values().forEach(RaftNode::close);
        vertx.close().await();
    }

    private void startCluster(int size) {
        Map<String, String> members = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            members.put("n" + i, "local:" + i);
        }
        Membership bootstrap = Membership.ofVoters(members);
        for (String id : members.keySet()) {
            CounterStateMachine machine = new CounterStateMachine();
            RaftNodeConfig config = RaftNodeConfig.defaults(id, bootstrap).withTick(Duration.ofMillis(25))
                    .withRequestTimeout(Duration.ofSeconds(30));
            RaftNode<Long> node = new RaftNode<>(config, new MemoryStorage(), machine,
                    inbound -> network.transport(id, inbound), System::currentTimeMillis);
            nodes.put(id, node);
            machines.put(id, machine);
        }
        for (RaftNode<Long> node : nodes.values()) {
            Await.result(node.start(), Duration.ofSeconds(10));
        }
    }

    private void awaitLeader() {
        Await.until(Duration.ofSeconds(10), () -> nodes.values().stream()
                .anyMatch(n -> n.status() != null && n.status().role() == Role.LEADER), () -> "a leader");
    }

    @Test
    void proposalsFromEveryNodeApplyInOneOrderEverywhere() {
        startCluster(3);
        awaitLeader();
        List<CompletableFuture<Long>> results = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            RaftNode<Long> via = nodes.get("n" + (i % 3 + 1));
            results.add(via.propose(CounterStateMachine.command(i)));
        }
        for (CompletableFuture<Long> result : results) {
            assertThat(Await.result(result, Duration.ofSeconds(30))).isPositive();
        }
        long expected = 300L * 301 / 2;
        Await.until(Duration.ofSeconds(10), () -> machines.values().stream().allMatch(m -> m.sum() == expected),
                () -> "every replica applied all 300 commands");
        List<Long> order = machines.get("n1").values();
        for (CounterStateMachine m : machines.values()) {
            assertThat(m.sum()).isEqualTo(expected);
            assertThat(m.values()).isEqualTo(order);
        }
        long readAt = Await.result(nodes.get("n2").readBarrier(), Duration.ofSeconds(10));
        assertThat(readAt).isGreaterThanOrEqualTo(300);
    }
}
