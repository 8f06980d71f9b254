package io.quorum.raft.node;

import io.quorum.raft.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.quorum.raft.node.TcpCluster.FAST_TICK;
import static org.assertj.core.api.Assertions.assertThat;

/** Admission control and shutdown on loopback TCP nodes with DurableStorage, 10 ms ticks. */
@Timeout(60)
class RaftNodeLifecycleTest {

    @TempDir
    Path dataDirs;

    private TcpCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTinyProposalBoundRefusesTheExcessAsOverloadedInsteadOfQueueingIt() {
        cluster = new TcpCluster(dataDirs, 3, config -> config.withTick(FAST_TICK).withAdmission(4, 50_000));
        cluster.startAll();
        RaftNode<Long> leader = cluster.node(cluster.awaitLeader(Duration.ofSeconds(5)));

        List<CompletableFuture<Long>> results = new ArrayList<>();
        int maxPending = 0;
        for (int i = 1; i <= 2_000; i++) {
            results.add(leader.propose(CounterStateMachine.command(i)));
            maxPending = Math.max(maxPending, leader.pendingProposals());
        }
        Await.result(CompletableFuture.allOf(results.stream().map(f -> f.exceptionally(t -> null))
                .toArray(CompletableFuture[]::new)), Duration.ofSeconds(20));

        Map<Object, Long> outcomes = results.stream().collect(Collectors.groupingBy(RaftNodeLifecycleTest::outcome,
                Collectors.counting()));
        assertThat(maxPending).isLessThanOrEqualTo(4);
        // The few admitted ones usually apply; on this shared machine a leader change now and then
        // fails them otherwise (NOT_COMMITTED, or TIMEOUT when no later entry takes their index).
        assertThat(outcomes.get(NodeException.Kind.OVERLOADED)).as("outcomes %s", outcomes).isGreaterThan(1_000);
        try (Load load = new Load(cluster, 4, 20)) {
            load.awaitDone(Duration.ofSeconds(20));
            assertThat(load.acked()).as("the node still serves within its bound").isNotEmpty();
        }
    }

    @Test
    void closeFailsWhatWaitsWithStoppedAndReleasesEveryThread() {
        cluster = new TcpCluster(dataDirs, 3, config -> config.withTick(FAST_TICK));
        // One node of three: no quorum, so everything proposed waits until the close.
        RaftNode<Long> alone = cluster.start("n1");
        List<CompletableFuture<?>> waiting = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            waiting.add(alone.propose(CounterStateMachine.command(i)));
        }
        waiting.add(alone.readBarrier());
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        cluster.stop("n1");

        assertThat(waiting).allSatisfy(f -> assertThat(outcome(f)).isEqualTo(NodeException.Kind.STOPPED));
        assertThat(liveThreads(id -> id.startsWith("raft-n1"))).isEmpty();
        assertThat(outcome(alone.propose(CounterStateMachine.command(1)))).isEqualTo(NodeException.Kind.STOPPED);
    }

    @Test
    void closingARunningClusterUnderLoadEndsEveryFutureAndThread() {
        cluster = new TcpCluster(dataDirs, 3, config -> config.withTick(FAST_TICK));
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(5));
        List<CompletableFuture<Long>> results = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            results.add(cluster.live().get(i % 3).propose(CounterStateMachine.command(i)));
        }
        cluster.memberIds().forEach(cluster::stop);

        assertThat(results).allMatch(CompletableFuture::isDone);
        assertThat(liveThreads(name -> name.startsWith("raft-n"))).isEmpty();
    }

    private static List<String> liveThreads(Function<String, Boolean> named) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(named::apply).toList();
    }

    private static Object outcome(CompletableFuture<?> future) {
        try {
            future.join();
            return "applied";
        } catch (CompletionException e) {
            return e.getCause() instanceof NodeException n ? n.kind() : e.getCause().toString();
        }
    }
}
