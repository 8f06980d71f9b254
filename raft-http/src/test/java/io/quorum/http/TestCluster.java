package io.quorum.http;

import io.quorum.raft.protocol.Role;
import io.quorum.raft.testing.Await;
import io.quorum.raft.testing.FreePorts;
import io.quorum.server.HostPort;
import io.quorum.server.ServerSettings;
import io.quorum.server.TlsSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * N Quorum servers in this JVM on loopback: Raft on free ports picked up front (the members list
 * names them), HTTP on ports the system picks, data in a test's temporary directory. Public for
 * the tests of the client and the command line.
 */
public final class TestCluster implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(20);
    public static final int MAX_VALUE_BYTES = 4096;

    private final List<QuorumServer> servers = new ArrayList<>();
    private final SortedMap<String, String> members;
    private final Path dataRoot;

    private TestCluster(SortedMap<String, String> members, Path dataRoot) {
        this.members = members;
        this.dataRoot = dataRoot;
    }

    public static TestCluster start(int size, Path dataRoot) throws Exception {
        return start(freeMembers(size), dataRoot);
    }

    /** A single-node cluster {@code n1} with {@code tls}, data in {@code dataDir}, HTTP on a port the system picks. */
    public static QuorumServer startSingle(Path dataDir, TlsSettings tls) throws Exception {
        HostPort raft = new HostPort("127.0.0.1", FreePorts.next());
        ServerSettings settings = new ServerSettings("n1", dataDir, new HostPort("127.0.0.1", 0), raft,
                ServerSettings.singleMember("n1", raft), MAX_VALUE_BYTES, TICK).withTls(tls);
        return QuorumServer.start(settings, Duration.ofSeconds(2));
    }

    /** Members n1…n{@code size} on free Raft ports. */
    static SortedMap<String, String> freeMembers(int size) throws IOException {
        SortedMap<String, String> members = new TreeMap<>();
        for (int i = 1; i <= size; i++) {
            members.put("n" + i, "127.0.0.1:" + FreePorts.next());
        }
        return members;
    }

    /** A server for each of {@code members}, data in {@code dataRoot/<id>} (made new, or as it is). */
    static TestCluster start(SortedMap<String, String> members, Path dataRoot) throws Exception {
        TestCluster cluster = new TestCluster(members, dataRoot);
        try {
            for (String id : members.keySet()) {
                ServerSettings settings = new ServerSettings(id, dataRoot.resolve(id), new HostPort("127.0.0.1", 0),
                        HostPort.parse(members.get(id)), members, MAX_VALUE_BYTES, TICK);
                cluster.servers.add(QuorumServer.start(settings, Duration.ofSeconds(2)));
            }
            cluster.awaitLeader();
            cluster.awaitHttpAddrsAdvertised();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Starts server {@code id} as {@code quorum server} does when {@code --members} lists the
     * bootstrap members but not {@code id}: it joins them, waiting to be added.
     *
     * @return its index in this cluster, and its raft address
     */
    Joined join(String id) throws Exception {
        String raftAddr = "127.0.0.1:" + FreePorts.next();
        ServerSettings settings = new ServerSettings(id, dataRoot.resolve(id), new HostPort("127.0.0.1", 0),
                HostPort.parse(raftAddr), members, MAX_VALUE_BYTES, TICK);
        servers.add(QuorumServer.start(settings, Duration.ofSeconds(2)));
        return new Joined(servers.size() - 1, raftAddr);
    }

    record Joined(int index, String raftAddr) {}

    /** The leader's index in {@link #servers}, once one is elected and its first command applied. */
    public int awaitLeader() {
        int[] leader = {-1};
        Await.until("a leader that every node knows", Duration.ofSeconds(10), () -> {
            leader[0] = -1;
            for (int i = 0; i < servers.size(); i++) {
                var status = servers.get(i).service().status();
                if (status == null || status.leader() == null) {
                    return false;
                }
                if (status.role() == Role.LEADER) {
                    leader[0] = i;
                }
            }
            return leader[0] >= 0 && servers.get(leader[0]).service().leaderDutiesActive()
                    && api(leader[0]).get("/ready").status() == 200;
        });
        return leader[0];
    }

    /**
     * Waits until every node has applied every member's HTTP address. Each node proposes its own
     * address once after it starts; after this no node proposes anything unasked, so a test can
     * count proposals.
     */
    void awaitHttpAddrsAdvertised() {
        Await.until("every member's HTTP address applied on every node", Duration.ofSeconds(10), () -> {
            for (QuorumServer server : servers) {
                if (!Await.result(server.service().memberHttpAddrs()).keySet().containsAll(members.keySet())) {
                    return false;
                }
            }
            return true;
        });
    }

    public int size() {
        return servers.size();
    }

    /** Node {@code i}'s HTTP endpoint, {@code http://127.0.0.1:<port>}. */
    public String endpoint(int i) {
        return "http://127.0.0.1:" + servers.get(i).httpPort();
    }

    Api api(int i) {
        return new Api(servers.get(i).httpPort());
    }

    public QuorumServer server(int i) {
        return servers.get(i);
    }

    /** Any node that is not the leader. */
    public int aFollower() {
        int leader = awaitLeader();
        return (leader + 1) % servers.size();
    }

    /** Stops node {@code i} as SIGTERM would; the others keep running. */
    public void stop(int i) {
        servers.get(i).close();
    }

    @Override
    public void close() {
        for (QuorumServer server : servers) {
            try {
                server.close();
            } catch (RuntimeException e) {
                // Closing the others matters more than this one's failure.
            }
        }
    }
}
