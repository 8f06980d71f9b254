package io.quorum.raft.sim;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.protocol.RaftConfig;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.storage.MemoryStorage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * The simulated nodes and their disks: ticks each node on its own schedule, hands arriving messages
 * to the protocol, and carries out Readys with a random disk latency, so that a node keeps
 * receiving messages while its write is in flight and a crash can land between sending the early
 * messages and the write.
 */
public final class SimCluster {

    /** What a crash does to the Ready that was being written. */
    public enum CrashMode {
        /** Nothing of it reached the disk. */
        LOSE_UNSYNCED,
        /** Only a prefix of its entries reached the disk; the hard state did not (a torn tail, cut on restart). */
        TORN_WRITE,
        /** All of it is durable, but the acknowledgements were never sent. */
        AFTER_SYNC
    }

    /** Prints every delivered message and state change (for replaying one seed with -Dsim.trace=true). */
    private static final boolean TRACE = Boolean.getBoolean("sim.trace");

    /** How far a node's clock rate may stray from nominal; -Dsim.clockDrift=N overrides. */
    private static final int CLOCK_DRIFT_PERCENT = Integer.getInteger("sim.clockDrift", 5);

    private final EventQueue clock;
    private final SplittableRandom random;
    private final SimOptions options;
    private final Supplier<SimStateMachine> stateMachines;
    private final ShellObserver observer;
    private final SimNetwork network;
    private final Map<String, NodeShell> nodes = new TreeMap<>();
    private final Map<String, Integer> epochs = new HashMap<>();
    private final Map<String, Integer> tickIntervals = new HashMap<>();
    private final Map<String, Long> pausedUntil = new HashMap<>();
    private final List<RuntimeException> protocolFailures = new ArrayList<>();
    private BiPredicate<NodeShell, Ready> crashAfterBegin = (node, ready) -> false;

    public SimCluster(EventQueue clock, SplittableRandom random, SimOptions options, Supplier<SimStateMachine> stateMachines,
                      ShellObserver observer) {
        this.clock = clock;
        this.random = random;
        this.options = options;
        this.stateMachines = stateMachines;
        this.observer = observer;
        this.network = new SimNetwork(clock, random.split(), this::deliver);
    }

    /** Consulted after each Ready is taken and its early messages sent; true means the node was crashed there. */
    public void setCrashAfterBegin(BiPredicate<NodeShell, Ready> hook) {
        this.crashAfterBegin = hook;
    }

    public SimNetwork network() {
        return network;
    }

    public void bootstrap(List<String> voters) {
        for (String id : voters) {
            start(id, MemoryStorage.bootstrapped(new SnapshotMeta(1, 1, Membership.ofVoters(voters), 0)));
        }
    }

    /** Starts a node with an empty disk (log at index 0), to be added to the cluster as a learner. */
    public void addEmptyNode(String id) {
        start(id, new MemoryStorage());
    }

    private void start(String id, MemoryStorage disk) {
        RaftConfig base = RaftConfig.defaults(id);
        RaftConfig config = base.withPreVote(options.preVote()).withCheckQuorum(options.checkQuorum())
                .withLimits(options.maxInflight(), options.maxAppendBytes(), options.snapshotChunkBytes());
        nodes.put(id, new NodeShell(id, config, disk, stateMachines.get(), random.nextLong(), network::send, observer));
        epochs.put(id, 0);
        // Each node's clock runs at its own rate: within CLOCK_DRIFT_PERCENT of the nominal tick.
        int interval = options.tickInterval() * 20;
        int spread = interval * CLOCK_DRIFT_PERCENT / 100;
        tickIntervals.put(id, interval - spread + random.nextInt(2 * spread + 1));
        scheduleTick(id, 1 + random.nextInt(interval));
    }

    private void scheduleTick(String id, long delay) {
        clock.after(delay, () -> {
            NodeShell node = nodes.get(id);
            if (node.isUp() && !paused(id)) {
                guarded(id, () -> node.raft().tick());
            }
            scheduleTick(id, nextTickDelay(id));
        });
    }

    /** Ticks are kept in 1/20 time units so that small drifts still show; the remainder carries over. */
    private final Map<String, Integer> tickRemainders = new HashMap<>();

    private long nextTickDelay(String id) {
        int total = tickIntervals.get(id) + tickRemainders.getOrDefault(id, 0);
        tickRemainders.put(id, total % 20);
        return total / 20;
    }

    /**
     * Freezes a node for {@code duration} (SIGSTOP): it neither ticks nor handles messages nor
     * finishes writes; what arrives meanwhile waits and is handled when it resumes, late.
     */
    public void pause(String id, long duration) {
        pausedUntil.put(id, clock.now() + duration);
    }

    /** Resumes every paused node now. */
    public void resumeAll() {
        pausedUntil.clear();
    }

    public boolean paused(String id) {
        Long until = pausedUntil.get(id);
        return until != null && until > clock.now();
    }

    private long resumeDelay(String id) {
        return pausedUntil.get(id) - clock.now();
    }

    public Collection<NodeShell> nodes() {
        return nodes.values();
    }

    public NodeShell node(String id) {
        return nodes.get(id);
    }

    public List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    /** Protocol exceptions seen (a correct protocol throws none on valid input). */
    public List<RuntimeException> protocolFailures() {
        return protocolFailures;
    }

    /** The up node that is leader in the highest term, or null. */
    public NodeShell leader() {
        NodeShell best = null;
        for (NodeShell node : nodes.values()) {
            if (node.isUp() && node.raft().role() == Role.LEADER && (best == null || node.raft().term() > best.raft().term())) {
                best = node;
            }
        }
        return best;
    }

    private final Map<String, String> traced = new HashMap<>();

    private void trace(String what) {
        if (TRACE) {
            System.out.println("t=" + clock.now() + " " + what);
        }
    }

    /** Prints the nodes whose role, term, leader or membership changed since the last call (tracing only). */
    public void traceStates() {
        if (!TRACE) {
            return;
        }
        for (NodeShell node : nodes.values()) {
            String state = node.isUp()
                    ? node.raft().role() + " term=" + node.raft().term() + " leader=" + node.raft().leader() + " " + node.raft().membership()
                    + " commit=" + node.raft().commitIndex() + " last=" + node.raft().lastIndex()
                    : "down";
            String stateNoIndexes = state.replaceAll(" commit=.*", "");
            if (!stateNoIndexes.equals(traced.put(node.id(), stateNoIndexes))) {
                trace("  " + node.id() + ": " + state);
            }
        }
    }

    private void deliver(Message m) {
        if (TRACE && !(m instanceof Message.Heartbeat) && !(m instanceof Message.HeartbeatResponse)) {
            trace(MessageText.message(m));
        }
        NodeShell node = nodes.get(m.to());
        if (node != null && paused(m.to())) {
            clock.after(resumeDelay(m.to()), () -> deliver(m));
            return;
        }
        if (node != null && node.isUp()) {
            guarded(m.to(), () -> node.raft().step(m));
        }
    }

    /** Runs {@code action} against a node's protocol, then carries out whatever it produced. */
    public void guarded(String id, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            if (e instanceof ProposalRejectedException) {
                throw e;
            }
            protocolFailures.add(new IllegalStateException("node " + id + " at t=" + clock.now() + ": " + e, e));
            return;
        }
        pump(id);
    }

    /** Carries out available Readys: at once, or with the write landing after a random disk delay. */
    public void pump(String id) {
        NodeShell node = nodes.get(id);
        try {
            while (node.readyAvailable()) {
                Ready ready = node.begin();
                if (crashAfterBegin.test(node, ready)) {
                    return;
                }
                int delay = options.maxDiskDelay() == 0 ? 0 : random.nextInt(options.maxDiskDelay() + 1);
                if (delay > 0) {
                    int epoch = epochs.get(id);
                    clock.after(delay, () -> completeWrite(id, epoch));
                    return;
                }
                node.persist();
                node.finish();
            }
        } catch (RuntimeException e) {
            protocolFailures.add(new IllegalStateException("node " + id + " at t=" + clock.now() + ": " + e, e));
        }
    }

    private void completeWrite(String id, int epoch) {
        NodeShell node = nodes.get(id);
        if (epochs.get(id) != epoch || !node.busy()) {
            return;
        }
        if (paused(id)) {
            clock.after(resumeDelay(id), () -> completeWrite(id, epoch));
            return;
        }
        try {
            node.persist();
            node.finish();
        } catch (RuntimeException e) {
            protocolFailures.add(new IllegalStateException("node " + id + " at t=" + clock.now() + ": " + e, e));
            return;
        }
        pump(id);
    }

    /** Crashes a node; a Ready being written ends as {@code mode} says. */
    public void crash(String id, CrashMode mode) {
        NodeShell node = nodes.get(id);
        if (!node.isUp()) {
            return;
        }
        if (node.busy()) {
            int entries = node.inProgress().entries().size();
            switch (mode) {
                case LOSE_UNSYNCED -> { }
                case TORN_WRITE -> node.persistTorn(entries == 0 ? 0 : random.nextInt(entries), false);
                case AFTER_SYNC -> node.persist();
            }
        }
        epochs.merge(id, 1, Integer::sum);
        pausedUntil.remove(id);
        node.crash();
        trace("crash " + id + " " + mode);
    }

    public void restart(String id) {
        NodeShell node = nodes.get(id);
        if (node.isUp()) {
            return;
        }
        try {
            node.restart();
            trace("restart " + id + " durable " + node.storage().hardState() + " last=" + node.storage().lastIndex()
                    + " snapshot=" + node.storage().snapshotMeta().index() + " " + node.storage().snapshotMeta().membership());
        } catch (RuntimeException e) {
            protocolFailures.add(new IllegalStateException("restart of " + id + " at t=" + clock.now() + ": " + e, e));
            return;
        }
        pump(id);
    }

    /** The application's snapshot: compacts the node's log through its applied index. */
    public boolean compact(String id) {
        NodeShell node = nodes.get(id);
        if (!node.isUp() || node.busy()) {
            return false;
        }
        MemoryStorage disk = node.storage();
        long applied = node.appliedIndex();
        if (applied <= disk.snapshotMeta().index() || applied > disk.lastIndex()) {
            return false;
        }
        Raft raft = node.raft();
        byte[] data = node.stateMachine().snapshot();
        disk.saveSnapshotAndCompact(new Snapshot(new SnapshotMeta(applied, disk.term(applied), raft.membershipAt(applied), data.length), data));
        return true;
    }
}
