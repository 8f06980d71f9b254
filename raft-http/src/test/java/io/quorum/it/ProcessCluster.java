package io.quorum.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.quorum.it.nemesis.Network;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FreePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * N Quorum nodes as real JVMs started from the shaded jar, on free loopback ports, with data dirs
 * and logs under one directory. Faults are what a process can suffer: {@link #kill9}, {@link #stop}
 * (SIGTERM), {@link #pause} / {@link #resume} (SIGSTOP / SIGCONT) and {@link #restart} on the same
 * data dir. {@link #close} ends every JVM; a shutdown hook does the same if the test JVM exits first.
 */
public final class ProcessCluster implements AutoCloseable {

    /** Bounds the wait for a node or the cluster to become ready. */
    static final Duration READY_DEADLINE = Duration.ofSeconds(45);
    static final long STOP_TIMEOUT_SECONDS = 30;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final Path jar;
    private final List<NodeProcess> nodes;
    private final String members;
    private final Set<NodeProcess> paused = new HashSet<>();
    private final Network network;
    private final ClusterTls tls;
    private final Thread cleanup = new Thread(this::destroyAll, "process-cluster-cleanup");

    private ProcessCluster(Path jar, List<NodeProcess> nodes, Network network, ClusterTls tls) {
        this.jar = jar;
        this.tls = tls;
        this.nodes = List.copyOf(nodes);
        this.network = network;
        this.members = nodes.stream().map(n -> n.id() + "=" + n.raftAddr()).collect(Collectors.joining(","));
    }

    /** The jar under test: system property {@code quorum.jar}, else {@code target/quorum.jar} of this module. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("quorum.jar", "target/quorum.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after `mvn package` (mvn verify)");
        }
        return jar;
    }

    /**
     * Starts {@code size} nodes {@code n1..nN} with data dirs and logs under {@code root} and waits
     * until every one is ready under one leader. On failure the logs are printed and every JVM ended.
     */
    public static ProcessCluster start(int size, Path root) {
        return start(size, root, false);
    }

    /**
     * As {@link #start(int, Path)}; with {@code proxied}, every node's Raft transport listens on a
     * port of its own ({@code --raft-listen-addr}) behind a {@link Network} proxy on the address its
     * peers dial, so that {@link #network()} can cut, delay or reset any directed peer link.
     */
    public static ProcessCluster start(int size, Path root, boolean proxied) {
        return start(size, root, proxied, false);
    }

    /**
     * As {@link #start(int, Path, boolean)}; with {@code tls}, every node runs with mutual TLS on its
     * Raft port and HTTPS with client certificates on its API, from certificates minted under
     * {@code root/tls} ({@link #tls()}), and its {@link NodeProcess#http()} speaks HTTPS.
     */
    public static ProcessCluster start(int size, Path root, boolean proxied, boolean tls) {
        ClusterTls certificates = tls ? ClusterTls.mint(root.resolve("tls")) : null;
        List<NodeProcess> nodes = new ArrayList<>();
        Map<String, Integer> dialPorts = new LinkedHashMap<>();
        Map<String, Integer> listenPorts = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            String id = "n" + i;
            int raftPort = FreePorts.next();
            int listenPort = proxied ? FreePorts.next() : raftPort;
            dialPorts.put(id, raftPort);
            listenPorts.put(id, listenPort);
            nodes.add(new NodeProcess(id, FreePorts.next(), raftPort, listenPort, root.resolve(id), root.resolve(id + ".log"),
                    certificates));
        }
        Network network = proxied ? new Network(dialPorts, listenPorts) : null;
        ProcessCluster cluster = new ProcessCluster(jar(), nodes, network, certificates);
        Runtime.getRuntime().addShutdownHook(cluster.cleanup);
        try {
            nodes.forEach(n -> n.start(cluster.jar, cluster.members));
            nodes.forEach(cluster::awaitReady);
            cluster.leader();
        } catch (RuntimeException | Error e) {
            cluster.printLogs(System.err);
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The certificates of a cluster started with TLS. */
    public ClusterTls tls() {
        if (tls == null) {
            throw new IllegalStateException("this cluster was started without TLS");
        }
        return tls;
    }

    /** The proxies on the peer links of a cluster started {@code proxied}. */
    public Network network() {
        if (network == null) {
            throw new IllegalStateException("this cluster was started without proxies on its peer links");
        }
        return network;
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    public NodeProcess node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    /** The nodes that run and are not paused. */
    public synchronized List<NodeProcess> live() {
        return nodes.stream().filter(n -> n.isRunning() && !paused.contains(n)).toList();
    }

    /** Waits until {@code node} answers {@code GET /ready} with 200 (it knows a leader and applied what it knew committed). */
    public void awaitReady(NodeProcess node) {
        Await.until(READY_DEADLINE, throttled(() -> {
            if (!node.isRunning()) {
                throw new AssertionError(node + " exited; see " + node.logFile());
            }
            return status(node, "/ready") == 200;
        }), () -> node + " ready");
    }

    /**
     * The leader that the live nodes agree on: it reports itself leader in {@code GET /v1/cluster}
     * and every other live node names it. Waits for one up to the ready deadline.
     */
    public NodeProcess leader() {
        NodeProcess[] leader = {null};
        Await.until(READY_DEADLINE, throttled(() -> {
            leader[0] = currentLeader().orElse(null);
            return leader[0] != null;
        }), () -> "a leader every live node knows, among " + live());
        return leader[0];
    }

    /** The leader as the live nodes see it right now, if they agree on one. */
    public Optional<NodeProcess> currentLeader() {
        return currentLeaderAmong(live());
    }

    /**
     * The leader as {@code group} sees it right now, if every one of them names the same node of
     * the group and that node reports itself leader: the majority side of a partition, say.
     */
    public Optional<NodeProcess> currentLeaderAmong(List<NodeProcess> group) {
        String agreed = null;
        for (NodeProcess node : group) {
            JsonNode cluster;
            try {
                Http.Answer answer = node.http().get("/v1/cluster");
                if (answer.status() != 200) {
                    return Optional.empty();
                }
                cluster = answer.json();
            } catch (UncheckedIOException e) {
                return Optional.empty();
            }
            String leader = cluster.path("leader").asText(null);
            if (leader == null || (agreed != null && !agreed.equals(leader))) {
                return Optional.empty();
            }
            agreed = leader;
            if (leader.equals(node.id()) && !roleOf(cluster, node.id()).equals("leader")) {
                return Optional.empty();
            }
        }
        String id = agreed;
        return Optional.ofNullable(id).map(this::node).filter(group::contains);
    }

    private static String roleOf(JsonNode cluster, String id) {
        for (JsonNode member : cluster.path("members")) {
            if (id.equals(member.path("id").asText())) {
                return member.path("role").asText("");
            }
        }
        return "";
    }

    /** Any live node other than {@code node}. */
    public NodeProcess anotherThan(NodeProcess node) {
        return live().stream().filter(n -> n != node).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live node besides " + node));
    }

    /** SIGKILL: the node loses nothing it acknowledged (durable before it answers), but says nothing either. */
    public void kill9(NodeProcess node) {
        synchronized (this) {
            paused.remove(node);
        }
        node.kill9();
    }

    /** SIGTERM: a clean shutdown, which must exit 0 (API.md, "shutdown"). */
    public void stop(NodeProcess node) {
        int exit = node.terminate(STOP_TIMEOUT_SECONDS);
        if (exit != 0) {
            throw new AssertionError(node + " exited " + exit + " after SIGTERM; see " + node.logFile());
        }
    }

    /** Starts a stopped or killed node again on its data dir and waits until it is ready. */
    public void restart(NodeProcess node) {
        node.start(jar, members);
        awaitReady(node);
    }

    /**
     * Membership change on a live cluster: removes {@code node} through the leader, ends it and
     * empties its data dir, starts it again as a joiner (its {@code --members} are the others) and
     * adds it back through the leader; waits until it is ready and a voter again.
     */
    public void replace(NodeProcess node) {
        NodeProcess leader = leader();
        if (leader == node) {
            throw new IllegalArgumentException("replace a follower, not the leader " + node);
        }
        Http.Answer removed = leader.http().send("DELETE", "/v1/cluster/members/" + node.id(), null, Duration.ofSeconds(10));
        if (removed.status() != 200) {
            throw new AssertionError("removing " + node.id() + " through " + leader.id() + ": " + removed);
        }
        kill9(node);
        deleteRecursively(node.dataDir());
        String others = nodes.stream().filter(n -> n != node).map(n -> n.id() + "=" + n.raftAddr())
                .collect(Collectors.joining(","));
        node.start(jar, others);
        List<NodeProcess> members = nodes.stream().filter(n -> n != node && live().contains(n)).toList();
        Await.until(READY_DEADLINE, throttled(() -> {
            NodeProcess current = currentLeaderAmong(members).orElse(null);
            if (current == null) {
                return false;
            }
            try {
                if (memberIds(current).contains(node.id())) {
                    return true;
                }
                Http.Answer added = current.http().send("POST", "/v1/cluster/members",
                        ("{\"id\":\"" + node.id() + "\",\"raftAddr\":\"" + node.raftAddr() + "\"}")
                                .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), "Content-Type", "application/json");
                return added.status() == 200;
            } catch (UncheckedIOException e) {
                return false;
            }
        }), () -> node.id() + " added back; " + clusterViews());
        Await.until(READY_DEADLINE, throttled(() -> status(node, "/ready") == 200),
                () -> node.id() + " ready after it was added back; " + clusterViews());
        Await.until(READY_DEADLINE, throttled(() -> currentLeader().map(l -> isVoter(l, node.id())).orElse(false)),
                () -> node.id() + " promoted to voter; " + clusterViews());
    }

    /** Every running node's {@code GET /v1/cluster}, for a failure message. */
    String clusterViews() {
        StringBuilder views = new StringBuilder();
        for (NodeProcess n : live()) {
            try {
                views.append(n.id()).append(": ").append(n.http().send("GET", "/v1/cluster", null, Duration.ofSeconds(2)).text())
                        .append("; ");
            } catch (UncheckedIOException e) {
                views.append(n.id()).append(": ").append(e.getCause()).append("; ");
            }
        }
        return views.toString();
    }

    private static boolean isVoter(NodeProcess leader, String id) {
        try {
            for (JsonNode member : leader.http().get("/v1/cluster").json().path("members")) {
                if (id.equals(member.path("id").asText())) {
                    return member.path("voter").asBoolean();
                }
            }
            return false;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static Set<String> memberIds(NodeProcess node) {
        Set<String> ids = new HashSet<>();
        for (JsonNode member : node.http().get("/v1/cluster").json().path("members")) {
            ids.add(member.path("id").asText());
        }
        return ids;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGSTOP: the node keeps its sockets but answers nothing until {@link #resume}. */
    public void pause(NodeProcess node) {
        node.signal("STOP");
        synchronized (this) {
            paused.add(node);
        }
    }

    /** SIGCONT after {@link #pause}. */
    public void resume(NodeProcess node) {
        node.signal("CONT");
        synchronized (this) {
            paused.remove(node);
        }
    }

    /**
     * Undoes every fault: lets every peer link pass, resumes paused nodes, starts stopped or killed ones on their data dirs,
     * then waits until every node is ready under one leader. For tests that share a cluster.
     */
    public void heal() {
        if (network != null) {
            network.heal();
        }
        for (NodeProcess node : nodes) {
            boolean wasPaused;
            synchronized (this) {
                wasPaused = paused.contains(node);
            }
            if (wasPaused) {
                resume(node);
            } else if (!node.isRunning()) {
                node.start(jar, members);
            }
        }
        nodes.forEach(this::awaitReady);
        leader();
    }

    /** Every node's log, each under a header line. */
    public void printLogs(PrintStream out) {
        for (NodeProcess node : nodes) {
            out.println("======== " + node + " log " + node.logFile());
            try {
                if (Files.exists(node.logFile())) {
                    out.println(Files.readString(node.logFile(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                out.println("(unreadable: " + e + ")");
            }
        }
    }

    /**
     * {@code condition} asked at most every 10 ms ({@link Await} polls every millisecond, which
     * for HTTP requests to a starting JVM would only take CPU from it).
     */
    static BooleanSupplier throttled(BooleanSupplier condition) {
        long[] next = {System.nanoTime()};
        return () -> {
            long now = System.nanoTime();
            if (now - next[0] < 0) {
                return false;
            }
            next[0] = now + POLL_INTERVAL.toNanos();
            return condition.getAsBoolean();
        };
    }

    private static int status(NodeProcess node, String path) {
        try {
            return node.http().send("GET", path, null, Duration.ofSeconds(2)).status();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private void destroyAll() {
        for (NodeProcess node : nodes) {
            try {
                node.destroy();
            } catch (RuntimeException | Error e) {
                // Ending the other nodes matters more than this one's failure.
            }
        }
    }

    /** Ends every JVM (SIGKILL: the data dirs are not reused after a test run). */
    @Override
    public void close() {
        destroyAll();
        if (network != null) {
            network.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }
}
