package io.quorum.raft.node;

import io.quorum.raft.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Figures for issue 4's closing note, not assertions; each prints one line. Skipped by a normal
 * build; run with
 * {@code mvn -o -pl raft-core test -Dtest=RaftNodeBench -Dnode.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * Both use the default timing (50 ms heartbeat, 500–1000 ms election timeout), three nodes in
 * this JVM on loopback TCP and DurableStorage with fsync in {@code @TempDir}.
 */
@EnabledIfSystemProperty(named = "node.bench", matches = "true")
class RaftNodeBench {

    private static final int KILLS = Integer.getInteger("node.bench.kills", 25);
    private static final int THROUGHPUT_SECONDS = Integer.getInteger("node.bench.seconds", 10);

    @TempDir
    Path dataDirs;

    /**
     * Kills the leader (RaftNode#crash) again and again, restarting it on its data directory after
     * each round. Per kill: the time until a surviving node leads in a later term ("elected"), and
     * until a proposal made through that new leader right after its election has applied there
     * ("committed").
     */
    @Test
    void failover() {
        List<Long> elected = new ArrayList<>();
        List<Long> committed = new ArrayList<>();
        try (TcpCluster cluster = new TcpCluster(dataDirs, 3, UnaryOperator.identity())) {
            cluster.startAll();
            long value = 1;
            for (int kill = 0; kill < KILLS; kill++) {
                cluster.awaitLeader(Duration.ofSeconds(10));
                cluster.awaitConverged(Duration.ofSeconds(10));
                RaftNode<Long> old = cluster.leader();
                Await.result(old.propose(CounterStateMachine.command(value++)), Duration.ofSeconds(5));
                long oldTerm = old.status().term();

                long killedAt = System.nanoTime();
                cluster.crash(old.id());
                while (true) {
                    Await.until(Duration.ofSeconds(10), () -> cluster.leader() != null && cluster.leader().status().term() > oldTerm,
                            () -> "no new leader: " + cluster.statusLine());
                    if (elected.size() == committed.size()) {
                        elected.add(System.nanoTime() - killedAt);
                    }
                    try {
                        cluster.leader().propose(CounterStateMachine.command(value++)).get(5, TimeUnit.SECONDS);
                        committed.add(System.nanoTime() - killedAt);
                        break;
                    } catch (Exception e) {
                        // The new leader lost its leadership already: measure through the next one.
                    }
                }
                cluster.start(old.id());
            }
        }
        System.out.printf("node.bench failover kills=%d elected median=%d ms max=%d ms; committing median=%d ms max=%d ms%n",
                KILLS, millis(median(elected)), millis(Collections.max(elected)),
                millis(median(committed)), millis(Collections.max(committed)));
    }

    /** Proposals/s through all three nodes (followers forward) with many in flight, after a warm-up. */
    @Test
    void throughput() {
        for (int inFlight : new int[] {256, 2_048}) {
            try (TcpCluster cluster = new TcpCluster(dataDirs.resolve("t" + inFlight), 3, UnaryOperator.identity());
                 Load load = new Load(startedCluster(cluster), inFlight, Long.MAX_VALUE)) {
                load.awaitAcked(5_000, Duration.ofSeconds(30));
                long startCount = load.acked().size();
                long start = System.nanoTime();
                sleepThroughTheWindow();
                long count = load.acked().size() - startCount;
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("node.bench throughput in-flight=%d proposals/s=%.0f (%d in %.1f s, fsync on, 3 nodes)%n",
                        inFlight, count / seconds, count, seconds);
            }
        }
    }

    /** The measurement window: a duration, not a wait for a condition. */
    private static void sleepThroughTheWindow() {
        try {
            TimeUnit.SECONDS.sleep(THROUGHPUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One proposal at a time, through the leader and through a follower: the commit latency with fsync. */
    @Test
    void latency() throws Exception {
        try (TcpCluster cluster = startedCluster(new TcpCluster(dataDirs, 3, UnaryOperator.identity()))) {
            RaftNode<Long> leader = cluster.leader();
            RaftNode<Long> follower = cluster.live().stream().filter(n -> n != leader).findFirst().orElseThrow();
            for (RaftNode<Long> via : List.of(leader, follower)) {
                for (int i = 0; i < 50; i++) {
                    via.propose(CounterStateMachine.command(1)).get(5, TimeUnit.SECONDS);
                }
                int rounds = 500;
                long start = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    via.propose(CounterStateMachine.command(1)).get(5, TimeUnit.SECONDS);
                }
                System.out.printf("node.bench latency via=%s mean=%.2f ms (%d sequential proposals, fsync on, 3 nodes)%n",
                        via == leader ? "leader" : "follower", (System.nanoTime() - start) / 1e6 / rounds, rounds);
            }
        }
    }

    private static TcpCluster startedCluster(TcpCluster cluster) {
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        return cluster;
    }

    private static long median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
