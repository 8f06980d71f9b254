package io.quorum.raft.node;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
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
import java.util.concurrent.TimeUnit;

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

    private void startCluster(int size) throws Exception {
        Map<String, String> members = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            members.put("n" + i, "local:" + i);
        }
        Membership bootstrap = Membership.ofVoters(members);
        for (String id : members.keySet()) {
            CounterStateMachine machine = new CounterStateMachine();
            RaftNodeConfig config = RaftNodeConfig.defaults(id, bootstrap).withTick(Duration.ofMillis(10));
            RaftNode<Long> node = new RaftNode<>(config, new MemoryStorage(), machine,
                    inbound -> network.transport(id, inbound), System::currentTimeMillis);
            nodes.put(id, node);
            machines.put(id, machine);
        }
        for (RaftNode<Long> node : nodes.values()) {
            node.start().get(5, TimeUnit.SECONDS);
        }
    }

    private String awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (RaftNode<Long> node : nodes.values()) {
                RaftStatus status = node.status();
                if (status != null && status.role() == Role.LEADER) {
                    return node.id();
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no leader within 5 s");
    }

    @Test
    void proposalsFromEveryNodeApplyInOneOrderEverywhere() throws Exception {
        startCluster(3);
        awaitLeader();
        List<CompletableFuture<Long>> results = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            RaftNode<Long> via = nodes.get("n" + (i % 3 + 1));
            results.add(via.propose(CounterStateMachine.command(i)).exceptionally(t -> -1L));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(results).allSatisfy(f -> assertThat(f.join()).isPositive());
        long expected = 300L * 301 / 2;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && machines.values().stream().anyMatch(m -> m.sum() != expected)) {
            Thread.onSpinWait();
        }
        List<Long> order = machines.get("n1").values();
        for (CounterStateMachine m : machines.values()) {
            assertThat(m.sum()).isEqualTo(expected);
            assertThat(m.values()).isEqualTo(order);
        }
        long readAt = nodes.get("n2").readBarrier().get(5, TimeUnit.SECONDS);
        assertThat(readAt).isGreaterThanOrEqualTo(300);
    }
}
