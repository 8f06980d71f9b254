package io.quorum.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.client.LockGrant;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.client.WriteOptions;
import io.quorum.it.nemesis.LinkRule;
import io.quorum.it.nemesis.Network;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TESTING.md's fault scenarios on three real processes with a fault-injecting proxy on every peer
 * link. Each runs its workload under its nemesis for {@link FaultRun#DURATION} ({@code -Pstress}:
 * ten minutes), prints {@code fault-scenario name=… ops=… faults=… violations=…} and fails on any
 * violation, with the history saved under {@code target/fault-histories/}.
 */
class FaultScenariosIT {

    @RegisterExtension
    static final ProcessClusterExtension CLUSTER = new ProcessClusterExtension(3, true);

    private static final long SEED = Long.getLong("fault.seed", System.nanoTime());

    private ProcessCluster cluster;
    private Network network;
    private long seed;

    @BeforeEach
    void healed(TestInfo test) {
        cluster = CLUSTER.cluster();
        cluster.heal();
        network = cluster.network();
        seed = SEED + test.getDisplayName().hashCode();
        System.out.println("fault-scenario " + test.getDisplayName() + " seed " + seed + " (-Dfault.seed=" + SEED + ")");
    }

    private static void assertNoViolation(List<String> violations) {
        assertThat(violations).as("violations (the history is under target/fault-histories/)").isEmpty();
    }

    private List<NodeProcess> othersThan(NodeProcess node) {
        return cluster.nodes().stream().filter(n -> n != node).toList();
    }

    /** Scenario 1: no fault; registers, locks and a watch, every checker. */
    @Test
    void noFault() {
        FaultRun run = new FaultRun("none", cluster, seed).watch().registers(6, 8, 50).locks(3);
        run.run((r, random) -> r.awaitAcknowledged(50));
        assertNoViolation(run.finish());
    }

    /**
     * Scenario 2: the leader cut off from the others (blackhole, both ways) until they elected a
     * leader and acknowledged writes; read-heavy. A probe key written through the new leader must
     * not read as its old value on the old leader.
     */
    @Test
    void leaderIsolated() {
        FaultRun run = new FaultRun("leader-isolated", cluster, seed).registers(6, 8, 80);
        run.run((r, random) -> {
            NodeProcess leader = cluster.leader();
            String probe = r.prefix() + "probe";
            String before = "before-" + random.nextInt();
            if (leader.http().put("/v1/kv/" + probe, before).status() != 200) {
                return;
            }
            LinkRule rule = random.nextBoolean() ? LinkRule.BLACKHOLE : LinkRule.RESET;
            network.isolate(leader.id(), rule);
            r.inject("isolate leader " + leader.id() + " (" + rule + ")");
            Optional<NodeProcess> newLeader = r.awaitLeaderAmong(othersThan(leader));
            if (newLeader.isPresent()) {
                String after = "after-" + random.nextInt();
                Http.Answer put = newLeader.get().http().put("/v1/kv/" + probe, after);
                if (put.status() == 200) {
                    staleReadProbe(r, leader, probe, after);
                }
                r.awaitAcknowledged(20);
            }
            network.heal();
            r.healed("isolation of " + leader.id());
            cluster.leader();
        });
        assertNoViolation(run.finish());
    }

    /** A linearizable read on {@code node} answers {@code expected} or an error, never an older value. */
    private static void staleReadProbe(FaultRun run, NodeProcess node, String key, String expected) {
        try {
            Http.Answer read = node.http().send("GET", "/v1/kv/" + key, null, Duration.ofSeconds(3));
            if (read.status() == 200 && !read.text().equals(expected)) {
                run.violation(node.id() + " served the stale value '" + read.text() + "' of " + key + " after '" + expected
                        + "' was committed by a newer leader");
            }
        } catch (RuntimeException e) {
            // No answer is no stale answer.
        }
    }

    /** Scenario 3: random halves (one node against two), blackhole or reset, every few seconds. */
    @Test
    void randomHalves() {
        FaultRun run = new FaultRun("random-halves", cluster, seed).registers(6, 8, 50);
        run.run((r, random) -> {
            List<NodeProcess> nodes = cluster.nodes();
            NodeProcess alone = nodes.get(random.nextInt(nodes.size()));
            LinkRule rule = random.nextBoolean() ? LinkRule.BLACKHOLE : LinkRule.RESET;
            network.isolate(alone.id(), rule);
            r.inject("halves " + alone.id() + " | " + ids(othersThan(alone)) + " (" + rule + ")");
            r.awaitLeaderAmong(othersThan(alone));
            r.awaitAcknowledged(10 + random.nextInt(30));
            network.heal();
            r.healed("halves");
        });
        assertNoViolation(run.finish());
    }

    /**
     * Partial and one-way connectivity: a bridge (two nodes that reach each other only through
     * the third), a leader that can hear but not speak, and slow links.
     */
    @Test
    void bridgeOneWayAndDelay() {
        FaultRun run = new FaultRun("bridge-oneway-delay", cluster, seed).registers(6, 8, 50);
        run.run((r, random) -> {
            List<NodeProcess> nodes = new ArrayList<>(cluster.nodes());
            NodeProcess leader = cluster.leader();
            switch (random.nextInt(3)) {
                case 0 -> {
                    nodes.remove(leader);
                    network.bridge(LinkRule.BLACKHOLE, Set.of(nodes.get(0).id()), leader.id(), Set.of(nodes.get(1).id()));
                    r.inject("bridge " + nodes.get(0).id() + " - " + leader.id() + " - " + nodes.get(1).id());
                }
                case 1 -> {
                    for (NodeProcess other : othersThan(leader)) {
                        network.cut(leader.id(), other.id(), LinkRule.BLACKHOLE);
                    }
                    r.inject("one-way: " + leader.id() + " hears but is not heard");
                    r.awaitLeaderAmong(othersThan(leader));
                }
                default -> {
                    Duration delay = Duration.ofMillis(20 + random.nextInt(200));
                    for (NodeProcess a : nodes) {
                        for (NodeProcess b : nodes) {
                            if (a != b) {
                                network.set(a.id(), b.id(), LinkRule.delay(delay));
                            }
                        }
                    }
                    r.inject("delay " + delay.toMillis() + "ms on every link");
                }
            }
            r.awaitAcknowledged(20);
            network.heal();
            r.healed("links");
        });
        assertNoViolation(run.finish());
    }

    /** Scenario 4: the leader killed with SIGKILL, restarted after the others made some progress. */
    @Test
    void leaderKill9() {
        FaultRun run = new FaultRun("leader-kill9", cluster, seed).registers(6, 8, 50);
        run.run((r, random) -> {
            NodeProcess leader = cluster.leader();
            cluster.kill9(leader);
            r.inject("kill -9 leader " + leader.id());
            r.awaitLeaderAmong(othersThan(leader));
            r.awaitAcknowledged(random.nextInt(40));
            cluster.restart(leader);
            r.healed("restart " + leader.id());
        });
        assertNoViolation(run.finish());
    }

    /** Scenario 5: every node killed at once, then all restarted: nothing acknowledged is lost. */
    @Test
    void allNodesKilled() {
        FaultRun run = new FaultRun("all-killed", cluster, seed).registers(6, 8, 50);
        run.run((r, random) -> {
            r.awaitAcknowledged(20 + random.nextInt(40));
            cluster.nodes().forEach(cluster::kill9);
            r.inject("kill -9 all");
            cluster.heal();
            r.healed("restart all");
        });
        assertNoViolation(run.finish());
    }

    /**
     * Scenario 6: the leader paused (SIGSTOP) until the others elected a leader and made progress;
     * resumed, it must not answer a linearizable read with a value older than the new leader's.
     */
    @Test
    void leaderPaused() {
        FaultRun run = new FaultRun("leader-paused", cluster, seed).registers(6, 8, 60).locks(2);
        run.run((r, random) -> {
            NodeProcess leader = cluster.leader();
            String probe = r.prefix() + "probe";
            if (leader.http().put("/v1/kv/" + probe, "before-" + random.nextInt()).status() != 200) {
                return;
            }
            cluster.pause(leader);
            r.inject("SIGSTOP leader " + leader.id());
            Optional<NodeProcess> newLeader = r.awaitLeaderAmong(othersThan(leader));
            String after = "after-" + random.nextInt();
            boolean written = newLeader.isPresent() && newLeader.get().http().put("/v1/kv/" + probe, after).status() == 200;
            r.awaitAcknowledged(20);
            cluster.resume(leader);
            r.healed("SIGCONT " + leader.id());
            if (written) {
                staleReadProbe(r, leader, probe, after);
            }
            cluster.awaitReady(leader);
        });
        assertNoViolation(run.finish());
    }

    /**
     * Scenario 7: a lock holder stops renewing its session (its client paused) past the ttl; once
     * another client holds the lock and incremented the fenced counter, the paused holder's write
     * with its old token must be refused, and no increment is lost.
     */
    @Test
    void lockHolderPausedPastItsTtl() {
        FaultRun run = new FaultRun("lock-holder-paused", cluster, seed).watch().locks(2);
        QuorumClient client = run.client();
        String lock = run.prefix() + "paused-lock";
        String counter = run.prefix() + "paused-counter";
        long[] increments = {0};
        run.run((r, random) -> {
            long stalled = client.openSession(Duration.ofSeconds(1), Duration.ZERO).id();
            LockGrant stale = client.acquire(lock, stalled, false, Duration.ofSeconds(10));
            r.inject("session " + stalled + " (token " + stale.token() + ") stops its keepalives");
            awaitGone(client, stalled);
            long next = client.openSession(Duration.ofSeconds(10), Duration.ZERO).id();
            LockGrant fresh = client.acquire(lock, next, false, Duration.ofSeconds(10));
            if (fresh.token() <= stale.token()) {
                r.violation("token " + fresh.token() + " granted after the expired holder's " + stale.token());
            }
            long value = readLong(client, counter);
            client.put(counter, Long.toString(value + 1).getBytes(StandardCharsets.UTF_8),
                    WriteOptions.NONE.withFence(lock, fresh.token()));
            increments[0]++;
            try {
                client.put(counter, Long.toString(value + 100).getBytes(StandardCharsets.UTF_8),
                        WriteOptions.NONE.withFence(lock, stale.token()));
                r.violation("a write fenced with the expired holder's token " + stale.token() + " was accepted while "
                        + fresh.token() + " holds " + lock);
            } catch (QuorumException e) {
                if (!e.notApplied()) {
                    r.violation("the stale-token write's outcome is unknown (" + e.code() + "): it may have been applied");
                }
            }
            client.release(lock, next);
            client.closeSession(next);
            r.healed("lock " + lock + " released by " + next);
        });
        long counted = readLong(client, counter);
        if (counted != increments[0]) {
            run.violation("counter " + counter + " is " + counted + " after " + increments[0] + " fenced increments");
        }
        assertNoViolation(run.finish());
    }

    /**
     * Scenario 8: a waiter's session expires while it is queued for a held lock; when the holder
     * releases, the lock must not go to the expired session (nor, in the watch, ever be granted to
     * a session after its expiry).
     */
    @Test
    void waiterExpiresWhileQueued() throws Exception {
        FaultRun run = new FaultRun("waiter-expires", cluster, seed).watch().locks(2);
        QuorumClient client = run.client();
        String lock = run.prefix() + "queued-lock";
        run.run((r, random) -> {
            long holder = client.openSession(Duration.ofSeconds(10), Duration.ZERO).id();
            client.acquire(lock, holder, false, Duration.ofSeconds(10));
            long waiter = client.openSession(Duration.ofSeconds(1), Duration.ZERO).id();
            CompletableFuture<LockGrant> queued = client.acquireAsync(lock, waiter, false, Duration.ofSeconds(20));
            r.inject("session " + waiter + " expires while queued for " + lock);
            awaitGone(client, waiter);
            client.release(lock, holder);
            try {
                LockGrant grant = queued.get(30, TimeUnit.SECONDS);
                r.violation(lock + " granted to session " + waiter + " after it expired: " + grant);
            } catch (Exception e) {
                // Refused: what must happen.
            }
            io.quorum.client.LockInfo info = client.lock(lock);
            if (info.holders().stream().anyMatch(h -> h.session() == waiter)) {
                r.violation(lock + " is held by the expired session " + waiter + ": " + info);
            }
            client.closeSession(holder);
            r.healed("holder " + holder + " closed");
        });
        assertNoViolation(run.finish());
    }

    /**
     * Scenario 9: the leader killed while 1,000 sessions keep alive (10 keepers of 100, with the
     * API's default ttl of 15 s); no session whose keepalives were answered within its ttl may expire.
     */
    @Test
    void leaderKilledWhileSessionsKeepAlive() {
        FaultRun run = new FaultRun("sessions-leader-kill", cluster, seed).registers(2, 4, 50);
        SessionKeepers keepers = new SessionKeepers(run.history(), run.client(), 10, 100, seed);
        try (keepers) {
            run.run((r, random) -> {
                r.awaitAcknowledged(100);
                NodeProcess leader = cluster.leader();
                cluster.kill9(leader);
                r.inject("kill -9 leader " + leader.id());
                r.awaitLeaderAmong(othersThan(leader));
                r.awaitAcknowledged(100);
                cluster.restart(leader);
                r.healed("restart " + leader.id());
            });
        }
        keepers.violations().forEach(run::violation);
        assertNoViolation(run.finish());
    }

    /**
     * Scenario 11: under load, a follower is removed, wiped, and added back as a new learner that
     * catches up and is promoted; then the leader is killed and restarted. Registers stay
     * linearizable and no term has two leaders.
     */
    @Test
    void membershipChangesWithLeaderKills() {
        FaultRun run = new FaultRun("membership", cluster, seed).registers(6, 8, 50);
        run.run((r, random) -> {
            NodeProcess leader = cluster.leader();
            NodeProcess follower = othersThan(leader).get(random.nextInt(2));
            r.inject("remove, wipe and add back " + follower.id());
            cluster.replace(follower);
            r.healed(follower.id() + " is a member again");
            r.awaitAcknowledged(20);
            leader = cluster.leader();
            cluster.kill9(leader);
            r.inject("kill -9 leader " + leader.id());
            r.awaitLeaderAmong(othersThan(leader));
            r.awaitAcknowledged(20);
            cluster.restart(leader);
            r.healed("restart " + leader.id());
        });
        assertNoViolation(run.finish());
    }

    private static void awaitGone(QuorumClient client, long session) {
        io.quorum.raft.testing.Await.until("session " + session + " expired", FaultRun.PROGRESS_DEADLINE,
                ProcessCluster.throttled(() -> {
                    try {
                        return client.session(session).isEmpty();
                    } catch (QuorumException e) {
                        return false;
                    }
                }));
    }

    private static long readLong(QuorumClient client, String key) {
        return client.get(key).map(v -> Long.parseLong(new String(v.value(), StandardCharsets.UTF_8))).orElse(0L);
    }

    private static String ids(List<NodeProcess> nodes) {
        return nodes.stream().map(NodeProcess::id).collect(Collectors.joining(","));
    }

}
