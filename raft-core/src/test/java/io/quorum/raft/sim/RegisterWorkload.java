package io.quorum.raft.sim;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.ReadState;
import io.quorum.raft.protocol.Role;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Clients of {@link KvStateMachine} registers. Each client runs one operation at a time: a write of
 * a unique value, proposed on the leader or a random node, or a linearizable read through
 * ReadIndex on any node. A write is complete when the node that took it applies its index with
 * that very entry (another entry there means it was lost: a definite failure). A crash or a
 * timeout leaves a write's outcome unknown; a read that is never answered is simply dropped.
 */
public final class RegisterWorkload implements SimWorkload {

    private static final int TIMEOUT = 400;
    private static final String FINAL = "final-";

    private final class Pending {
        final String client;
        final String node;
        final String key;
        final boolean write;
        final String value;
        final long invoke;
        final int id;

        Pending(String client, String node, String key, boolean write, String value) {
            this.client = client;
            this.node = node;
            this.key = key;
            this.write = write;
            this.value = value;
            this.invoke = logicalTime++;
            this.id = nextOperation++;
        }
    }

    private final EventQueue clock;
    private final SplittableRandom random;
    private final int clients;
    private final int keys;
    private final List<Operation> history = new ArrayList<>();
    private final Map<String, Pending> writesByNodeIndex = new HashMap<>();
    private final Map<Long, Pending> readsByRequest = new HashMap<>();
    private final Map<String, Pending> inFlightByClient = new HashMap<>();
    private SimCluster cluster;
    private boolean running;
    private long logicalTime;
    private int nextOperation;
    private long nextRequestId = 1;
    private int nextValue;
    /** The closing readers that got an answer (one per key when the run ends well). */
    private final Set<String> finalAnswered = new HashSet<>();

    public RegisterWorkload(EventQueue clock, SplittableRandom random, int clients, int keys) {
        this.clock = clock;
        this.random = random;
        this.clients = clients;
        this.keys = keys;
    }

    @Override
    public void start(SimCluster cluster) {
        this.cluster = cluster;
        running = true;
        for (int c = 0; c < clients; c++) {
            String client = "c" + c;
            clock.after(random.nextInt(50), () -> next(client));
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    /**
     * One linearizable read of every key on the leader, retried until answered, so that a lost
     * acknowledged write shows.
     */
    @Override
    public void finish(SimCluster cluster) {
        for (int k = 0; k < keys; k++) {
            nextFinalRead(FINAL + k);
        }
    }

    private void nextFinalRead(String client) {
        if (finalAnswered.contains(client) || inFlightByClient.containsKey(client)) {
            return;
        }
        NodeShell leader = cluster.leader();
        if (leader == null || cluster.paused(leader.id())) {
            retryLater(client);
            return;
        }
        read(client, leader, "k" + client.substring(FINAL.length()));
    }

    @Override
    public boolean idle() {
        return inFlightByClient.isEmpty() && finalAnswered.size() == keys;
    }

    @Override
    public long operations() {
        return nextOperation;
    }

    private void next(String client) {
        if (client.startsWith(FINAL)) {
            nextFinalRead(client);
            return;
        }
        if (!running || inFlightByClient.containsKey(client)) {
            return;
        }
        NodeShell target = pickNode();
        if (target == null) {
            clock.after(20, () -> next(client));
            return;
        }
        String key = "k" + random.nextInt(keys);
        if (random.nextInt(10) < 6) {
            write(client, target, key);
        } else {
            read(client, target, key);
        }
    }

    /**
     * Half the time the leader of the highest term; a fifth of the time any node that believes it
     * leads (a client with a stale leader cache, which is how a deposed leader gets asked); else
     * any node.
     */
    private NodeShell pickNode() {
        List<NodeShell> up = cluster.nodes().stream().filter(n -> n.isUp() && !cluster.paused(n.id())).toList();
        if (up.isEmpty()) {
            return null;
        }
        int dice = random.nextInt(10);
        NodeShell leader = cluster.leader();
        if (leader != null && dice < 5 && !cluster.paused(leader.id())) {
            return leader;
        }
        List<NodeShell> believers = up.stream().filter(n -> n.raft().role() == Role.LEADER).toList();
        if (!believers.isEmpty() && dice < 7) {
            return believers.get(random.nextInt(believers.size()));
        }
        return up.get(random.nextInt(up.size()));
    }

    private void write(String client, NodeShell node, String key) {
        Pending op = new Pending(client, node.id(), key, true, client + "-" + nextValue++);
        long[] index = {-1};
        try {
            cluster.guarded(node.id(), () -> index[0] = node.raft().propose(KvStateMachine.writeCommand(key, op.value)));
        } catch (ProposalRejectedException e) {
            retryLater(client);
            return;
        }
        if (index[0] < 0) {
            retryLater(client);
            return;
        }
        writesByNodeIndex.put(node.id() + "@" + index[0], op);
        await(op, () -> writesByNodeIndex.values().remove(op));
    }

    private void read(String client, NodeShell node, String key) {
        Pending op = new Pending(client, node.id(), key, false, null);
        long requestId = nextRequestId++;
        try {
            cluster.guarded(node.id(), () -> node.raft().readIndex(requestId));
        } catch (ProposalRejectedException e) {
            retryLater(client);
            return;
        }
        readsByRequest.put(requestId, op);
        await(op, () -> readsByRequest.values().remove(op));
    }

    private void await(Pending op, Runnable forget) {
        inFlightByClient.put(op.client, op);
        clock.after(TIMEOUT, () -> {
            if (inFlightByClient.get(op.client) == op) {
                forget.run();
                giveUp(op);
            }
        });
    }

    private void retryLater(String client) {
        clock.after(5 + random.nextInt(30), () -> next(client));
    }

    /** The client stops waiting: a write's outcome becomes unknown, a read is forgotten. */
    private void giveUp(Pending op) {
        if (op.write) {
            history.add(new Operation(op.id, op.client, op.key, true, op.value, op.invoke, Operation.UNKNOWN));
        }
        finish(op);
    }

    private void finish(Pending op) {
        inFlightByClient.remove(op.client);
        retryLater(op.client);
    }

    @Override
    public void applied(NodeShell node, Entry entry, long fingerprint) {
        Pending op = writesByNodeIndex.remove(node.id() + "@" + entry.index());
        if (op == null) {
            return;
        }
        if (Arrays.equals(entry.data(), KvStateMachine.writeCommand(op.key, op.value))) {
            history.add(new Operation(op.id, op.client, op.key, true, op.value, op.invoke, logicalTime++));
        }
        finish(op);
    }

    @Override
    public void readServable(NodeShell node, ReadState state) {
        Pending op = readsByRequest.get(state.requestId());
        if (op == null || !op.node.equals(node.id())) {
            return;
        }
        readsByRequest.remove(state.requestId());
        String value = new String(node.stateMachine().query(op.key.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        history.add(new Operation(op.id, op.client, op.key, false, value, op.invoke, logicalTime++));
        if (op.client.startsWith(FINAL)) {
            finalAnswered.add(op.client);
        }
        finish(op);
    }

    @Override
    public void crashed(String nodeId) {
        for (Pending op : List.copyOf(inFlightByClient.values())) {
            if (op.node.equals(nodeId)) {
                writesByNodeIndex.values().remove(op);
                readsByRequest.values().remove(op);
                giveUp(op);
            }
        }
    }

    @Override
    public String check() {
        if (finalAnswered.size() < keys) {
            return "liveness: only " + finalAnswered.size() + " of " + keys + " final reads were answered after healing";
        }
        LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
        return result.linearizable() ? null : "not linearizable: " + result.explanation();
    }
}
