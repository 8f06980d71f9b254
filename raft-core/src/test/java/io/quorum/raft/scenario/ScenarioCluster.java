package io.quorum.raft.scenario;

import io.quorum.raft.protocol.ConfChange;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.RaftConfig;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.sim.KvStateMachine;
import io.quorum.raft.sim.MessageText;
import io.quorum.raft.sim.NodeShell;
import io.quorum.raft.sim.ShellObserver;
import io.quorum.raft.storage.MemoryStorage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The world a transcript drives: nodes, one queue of messages in flight, and the links that are
 * cut. Nothing moves unless a command says so, so every transcript is exactly reproducible.
 */
final class ScenarioCluster {

    private static final int STABILIZE_ROUNDS = 200;

    private final TreeMap<String, NodeShell> nodes = new TreeMap<>(ScenarioCluster::byNumber);
    private final List<Message> inFlight = new ArrayList<>();
    private final Set<String> cutLinks = new HashSet<>();
    private final StringBuilder out = new StringBuilder();

    private static int byNumber(String a, String b) {
        int c = Integer.compare(a.length(), b.length());
        return c != 0 ? c : a.compareTo(b);
    }

    /** Runs one command line and returns what it printed ("ok" when nothing). */
    String run(String commandLine) {
        out.setLength(0);
        ScenarioArgs args = ScenarioArgs.parse(commandLine);
        switch (args.command()) {
            case "add-nodes" -> addNodes(args);
            case "campaign" -> raft(args.id(0)).campaign();
            case "propose" -> proposal(() -> raft(args.id(0)).propose(args.word(1).getBytes(StandardCharsets.UTF_8)));
            case "propose-conf-change" -> proposal(() -> raft(args.id(0)).proposeConfChange(confChange(args)));
            case "read-index" -> proposal(() -> {
                raft(args.id(0)).readIndex(Long.parseLong(args.positional(1)));
                return -1;
            });
            case "transfer-leadership" -> proposal(() -> {
                raft(args.id(0)).transferLeadership(args.positional(1));
                return -1;
            });
            case "tick" -> tick(args.id(0), Integer.parseInt(args.positional(1)), false);
            case "tick-heartbeat" -> tick(args.id(0), node(args.id(0)).config().heartbeatTicks(), false);
            case "tick-election" -> tick(args.id(0), 2 * node(args.id(0)).config().electionTicks(), true);
            case "tick-all" -> tickAll(Integer.parseInt(args.positional(0)), args.ids().subList(1, args.ids().size()));
            case "deliver-msgs" -> deliver(args.ids(), args.idSet("from"), args.idSet("drop"));
            case "process-ready" -> processReady(args.ids(), args.option("crash", ""));
            case "stabilize" -> stabilize(args.ids());
            case "partition" -> partition(args.ids());
            case "cut" -> cutLinks.add(args.id(0) + "->" + args.id(1));
            case "heal" -> cutLinks.clear();
            case "crash" -> node(args.id(0)).crash();
            case "restart" -> restart(args.id(0));
            case "compact" -> compact(args.id(0));
            case "status" -> line(ReadyText.status(raft(args.id(0)), node(args.id(0)).appliedIndex()));
            case "log" -> log(args.id(0));
            case "raft-state" -> raftState();
            case "get" -> get(args.id(0), args.positional(1));
            default -> throw new IllegalArgumentException("unknown command " + args.command());
        }
        return out.length() == 0 ? "ok\n" : out.toString();
    }

    private void addNodes(ScenarioArgs args) {
        int count = Integer.parseInt(args.positional(0));
        boolean preVote = Boolean.parseBoolean(args.option("prevote", "true"));
        boolean checkQuorum = Boolean.parseBoolean(args.option("checkquorum", "true"));
        boolean founding = nodes.isEmpty();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Integer.toString(nodes.size() + i + 1));
        }
        Membership initial = founding ? Membership.ofVoters(ids) : Membership.EMPTY;
        for (String id : ids) {
            RaftConfig base = RaftConfig.defaults(id);
            RaftConfig config = base.withPreVote(preVote).withCheckQuorum(checkQuorum).withLimits(base.maxInflightAppends(),
                    Long.parseLong(args.option("max-append-bytes", Long.toString(base.maxAppendBytes()))),
                    Integer.parseInt(args.option("snapshot-chunk-bytes", Integer.toString(base.maxSnapshotChunkBytes()))));
            MemoryStorage storage = founding ? MemoryStorage.bootstrapped(new SnapshotMeta(1, 1, initial, 0)) : new MemoryStorage();
            NodeShell shell = new NodeShell(id, config, storage, new KvStateMachine(), 1000L + Long.parseLong(id),
                    inFlight::add, new ShellObserver() { });
            nodes.put(id, shell);
            line(ReadyText.state(shell.raft()) + " " + initial);
        }
    }

    private static ConfChange confChange(ScenarioArgs args) {
        String node = args.positional(2);
        return switch (args.positional(1)) {
            case "add-learner" -> new ConfChange(ConfChange.Type.ADD_LEARNER, node, "");
            case "promote" -> new ConfChange(ConfChange.Type.PROMOTE, node, "");
            case "remove" -> new ConfChange(ConfChange.Type.REMOVE, node, "");
            default -> throw new IllegalArgumentException("unknown conf change " + args.positional(1));
        };
    }

    private void proposal(LongSupplier action) {
        try {
            long index = action.getAsLong();
            if (index >= 0) {
                line("index=" + index);
            }
        } catch (ProposalRejectedException e) {
            line("rejected " + e.reason() + " leader=" + (e.leaderHint() == null ? "none" : e.leaderHint()));
        }
    }

    /** Ticks {@code n} times; {@code untilRoleChange} stops at the first tick that changes the role. */
    private void tick(String id, int n, boolean untilRoleChange) {
        Raft raft = raft(id);
        var before = raft.role();
        long termBefore = raft.term();
        int ticks = 0;
        while (ticks < n) {
            raft.tick();
            ticks++;
            if (untilRoleChange && (raft.role() != before || raft.term() != termBefore)) {
                break;
            }
        }
        if (untilRoleChange) {
            line(id + " ticked " + ticks + ": " + before + " term=" + termBefore + " -> " + raft.role() + " term=" + raft.term());
        }
    }

    /**
     * Ticks every live node (or the listed ones) once per round and lets the cluster settle between
     * rounds, printing only the rounds in which a node's role, term or known leader changed.
     */
    private void tickAll(int rounds, List<String> only) {
        TreeMap<String, String> last = new TreeMap<>(ScenarioCluster::byNumber);
        for (NodeShell node : nodes.values()) {
            last.put(node.id(), summary(node));
        }
        for (int round = 1; round <= rounds; round++) {
            for (NodeShell node : nodes.values()) {
                if (node.isUp() && (only.isEmpty() || only.contains(node.id()))) {
                    node.raft().tick();
                }
            }
            int mark = out.length();
            stabilize(List.of());
            out.setLength(mark);
            for (NodeShell node : nodes.values()) {
                String now = summary(node);
                if (!now.equals(last.put(node.id(), now))) {
                    line("round " + round + ": " + now);
                }
            }
        }
    }

    private static String summary(NodeShell node) {
        if (!node.isUp()) {
            return node.id() + " down";
        }
        Raft raft = node.raft();
        return node.id() + " " + raft.role() + " term=" + raft.term() + " leader=" + (raft.leader() == null ? "none" : raft.leader());
    }

    private void deliver(List<String> targets, Set<String> from, Set<String> drop) {
        Iterator<Message> it = inFlight.iterator();
        List<Message> batch = new ArrayList<>();
        while (it.hasNext()) {
            Message m = it.next();
            boolean selected = (targets.isEmpty() || targets.contains(m.to())) && (from.isEmpty() || from.contains(m.from()));
            if (selected || drop.contains(m.to())) {
                batch.add(m);
                it.remove();
            }
        }
        for (Message m : batch) {
            NodeShell target = nodes.get(m.to());
            String text = MessageText.message(m);
            if (drop.contains(m.to())) {
                line("dropped " + text);
            } else if (cutLinks.contains(m.from() + "->" + m.to())) {
                line("cut " + text);
            } else if (target == null || !target.isUp()) {
                line("lost (down) " + text);
            } else {
                line(text);
                target.raft().step(m);
            }
        }
    }

    private void processReady(List<String> ids, String crash) {
        for (String id : ids.isEmpty() ? List.copyOf(nodes.keySet()) : ids) {
            NodeShell node = node(id);
            while (node.readyAvailable()) {
                Ready ready = node.begin();
                ReadyText.ready(out, node.raft(), ready);
                if (crash.equals("before-persist")) {
                    node.crash();
                    line("  crashed before persisting: early messages sent, nothing durable");
                    break;
                }
                node.persist();
                node.finish();
            }
        }
    }

    private void stabilize(List<String> ids) {
        for (int round = 0; round < STABILIZE_ROUNDS; round++) {
            boolean busy = false;
            for (String id : ids.isEmpty() ? List.copyOf(nodes.keySet()) : ids) {
                busy |= nodes.get(id).readyAvailable();
            }
            processReady(ids, "");
            boolean pending = inFlight.stream().anyMatch(m -> ids.isEmpty() || ids.contains(m.to()));
            deliver(ids, Set.of(), Set.of());
            if (!busy && !pending) {
                return;
            }
        }
        line("not stable after " + STABILIZE_ROUNDS + " rounds");
    }

    private void partition(List<String> spec) {
        List<List<String>> groups = new ArrayList<>();
        groups.add(new ArrayList<>());
        for (String token : spec) {
            if (token.equals("|")) {
                groups.add(new ArrayList<>());
            } else {
                groups.get(groups.size() - 1).add(token);
            }
        }
        cutLinks.clear();
        for (List<String> a : groups) {
            for (List<String> b : groups) {
                if (a != b) {
                    a.forEach(x -> b.forEach(y -> cutLinks.add(x + "->" + y)));
                }
            }
        }
    }

    private void restart(String id) {
        NodeShell node = node(id);
        node.restart();
        HardState hs = node.storage().hardState();
        line(ReadyText.state(node.raft()) + " (durable term=" + hs.term() + " vote=" + (hs.votedFor() == null ? "none" : hs.votedFor())
                + " commit=" + hs.commit() + " last=" + node.storage().lastIndex() + ")");
    }

    private void compact(String id) {
        NodeShell node = node(id);
        long index = node.appliedIndex();
        byte[] data = node.stateMachine().snapshot();
        MemoryStorage storage = node.storage();
        SnapshotMeta meta = new SnapshotMeta(index, storage.term(index), node.raft().membershipAt(index), data.length);
        storage.saveSnapshotAndCompact(new Snapshot(meta, data));
        line(id + " compacted through " + meta.term() + "/" + index + "; log starts at " + storage.firstIndex());
    }

    private void log(String id) {
        MemoryStorage storage = node(id).storage();
        SnapshotMeta snap = storage.snapshotMeta();
        HardState hs = storage.hardState();
        line("hardState term=" + hs.term() + " vote=" + (hs.votedFor() == null ? "none" : hs.votedFor()) + " commit=" + hs.commit());
        if (snap.index() > 0) {
            line("snapshot " + snap.term() + "/" + snap.index() + " " + snap.membership());
        }
        if (storage.lastIndex() >= storage.firstIndex()) {
            for (Entry e : storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE)) {
                line(MessageText.entry(e));
            }
        }
    }

    private void get(String id, String key) {
        byte[] value = node(id).stateMachine().query(key.getBytes(StandardCharsets.UTF_8));
        line(id + ": " + key + "=" + (value.length == 0 ? "(none)" : new String(value, StandardCharsets.UTF_8)));
    }

    private void raftState() {
        for (NodeShell node : nodes.values()) {
            line(node.isUp() ? ReadyText.state(node.raft()) : node.id() + ": down");
        }
    }

    private NodeShell node(String id) {
        NodeShell node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + "; nodes are " + nodes.keySet());
        }
        return node;
    }

    private Raft raft(String id) {
        return node(id).raft();
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
