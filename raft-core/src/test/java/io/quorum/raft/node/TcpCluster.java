package io.quorum.raft.node;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FreePorts;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;


/**
 * Test fixture: nodes in this JVM, each on its own data directory ({@code DurableStorage}, fsync
 * on) and its own TCP port on 127.0.0.1, built with {@link RaftNode#open}. Nodes can be started,
 * crashed ({@link RaftNode#crash()}), closed and restarted on their data directories, and new
 * ones can join.
 */
final class TcpCluster implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    /**
     * The tick of tests that need no default timing: 250–500 ms election timeouts. Shorter ones
     * (10 ms ticks) made leaders step down now and then on this shared two-core machine.
     */
    static final Duration FAST_TICK = Duration.ofMillis(25);

    private final Vertx vertx = Vertx.vertx();
    private final Path root;
    private final UnaryOperator<RaftNodeConfig> tuning;
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, RaftNode<Long>> running = new ConcurrentHashMap<>();
    private final Map<String, CounterStateMachine> machines = new ConcurrentHashMap<>();
    private final Membership bootstrap;

    /** A cluster of {@code size} voters n1..n{size}; nothing runs until {@link #start}. */
    TcpCluster(Path root, int size, UnaryOperator<RaftNodeConfig> tuning) {
        this.root = root;
        this.tuning = tuning;
        Map<String, String> voters = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            voters.put("n" + i, address("n" + i));
        }
        this.bootstrap = Membership.ofVoters(voters);
    }

    List<String> memberIds() {
        return new ArrayList<>(bootstrap.voters());
    }

    /** This node's raft address; a free port is picked the first time. */
    String address(String id) {
        return HOST + ":" + ports.computeIfAbsent(id, k -> FreePorts.next());
    }

    void startAll() {
        memberIds().forEach(this::start);
    }

    /** Starts (or restarts, on its data directory) a bootstrap member. */
    RaftNode<Long> start(String id) {
        return launch(id, tuning.apply(RaftNodeConfig.defaults(id, bootstrap)));
    }

    /** Starts a node with an empty data directory and no bootstrap, knowing the bootstrap members' addresses. */
    RaftNode<Long> join(String id) {
        address(id);
        Map<String, String> members = new LinkedHashMap<>(bootstrap.addresses());
        return launch(id, tuning.apply(RaftNodeConfig.defaults(id, null)).withJoinVia(members));
    }

    /**
     * A port just released by a crashed node may refuse a new bind for a moment (see
     * TcpTransport#close): the start is retried until the deadline.
     */
    private RaftNode<Long> launch(String id, RaftNodeConfig config) {
        if (running.containsKey(id)) {
            throw new IllegalStateException(id + " is running");
        }
        int port = Integer.parseInt(address(id).substring(HOST.length() + 1));
        RaftNode<Long>[] started = new RaftNode[1];
        Await.until(Duration.ofSeconds(10), () -> {
            CounterStateMachine machine = new CounterStateMachine();
            RaftNode<Long> node = RaftNode.open(config, root.resolve(id), HOST, port, machine, vertx);
            try {
                node.start().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                node.close();
                return false;
            }
            machines.put(id, machine);
            started[0] = node;
            return true;
        }, () -> id + " could not start on port " + port);
        running.put(id, started[0]);
        return started[0];
    }

    void crash(String id) {
        RaftNode<Long> node = running.remove(id);
        if (node != null) {
            node.crash();
        }
    }

    void stop(String id) {
        RaftNode<Long> node = running.remove(id);
        if (node != null) {
            node.close();
        }
    }

    RaftNode<Long> node(String id) {
        return running.get(id);
    }

    CounterStateMachine machine(String id) {
        return machines.get(id);
    }

    List<RaftNode<Long>> live() {
        return new ArrayList<>(running.values());
    }

    List<String> liveIds() {
        return new ArrayList<>(running.keySet());
    }

    /** The live node that believes it leads with the highest term, or null. */
    RaftNode<Long> leader() {
        RaftNode<Long> best = null;
        for (RaftNode<Long> node : running.values()) {
            RaftStatus s = node.status();
            if (s != null && s.role() == Role.LEADER && (best == null || s.term() > best.status().term())) {
                best = node;
            }
        }
        return best;
    }

    String awaitLeader(Duration deadline) {
        Await.until(deadline, () -> leader() != null, () -> "no leader among " + running.keySet());
        return leader().id();
    }

    /** Waits until every live node applied everything the leader committed, and returns their value sequences. */
    Map<String, List<Long>> awaitConverged(Duration deadline) {
        Await.until(deadline, () -> {
            RaftNode<Long> leader = leader();
            if (leader == null) {
                return false;
            }
            long commit = leader.status().commitIndex();
            int size = machine(leader.id()).size();
            return running.values().stream().allMatch(n -> n.appliedIndex() >= commit && machine(n.id()).size() == size);
        }, () -> "nodes did not converge: " + statusLine());
        Map<String, List<Long>> values = new LinkedHashMap<>();
        running.keySet().stream().sorted().forEach(id -> values.put(id, machine(id).values()));
        return values;
    }

    String statusLine() {
        StringBuilder line = new StringBuilder();
        running.values().forEach(n -> {
            RaftStatus s = n.status();
            line.append(n.id()).append('=').append(s == null ? "?" : s.role() + "/t" + s.term() + "/c" + s.commitIndex()
                    + "/a" + n.appliedIndex() + "/l" + s.lastIndex()).append(' ');
        });
        return line.toString();
    }

    @Override
    public void close() {
        running.values().forEach(RaftNode::close);
        running.clear();
        vertx.close().await();
    }
}
