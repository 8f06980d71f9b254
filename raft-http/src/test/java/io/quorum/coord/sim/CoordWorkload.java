package io.quorum.coord.sim;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.ErrorCode;
import io.quorum.coord.Event;
import io.quorum.coord.EventType;
import io.quorum.coord.Fence;
import io.quorum.coord.LockMode;
import io.quorum.coord.Result;
import io.quorum.coord.WaitRef;
import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.ReadState;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.sim.EventQueue;
import io.quorum.raft.sim.NodeShell;
import io.quorum.raft.sim.SimCluster;
import io.quorum.raft.sim.SimOptions;
import io.quorum.raft.sim.SimWorkload;

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
 * Simulated clients of the coordination state machine, and the leaders' duties, on top of the
 * raft-core simulation. Each client opens a session and keeps it alive on its own timer, and runs
 * one operation at a time: exclusive and shared lock requests (at once or waiting in the queue,
 * cancelled when the client tires), releases, fenced writes with the tokens it believes it holds,
 * plain and ephemeral puts, deletes, linearizable gets, and now and then a close; now and then a
 * client (or every client: a host stopped) stops for longer than its ttl, so that its session
 * expires while it still believes in its locks, and then goes on as if nothing happened: first
 * with a fenced write. Commands go to a node that leads and has proposed its LeaderChanged,
 * stamped with that node's clock; an answer comes when that node applies the entry (another
 * entry there: lost; a crash or timeout: unknown).
 * Every NORMAL entry any replica applies goes through {@link CoordAudit}.
 */
final class CoordWorkload implements SimWorkload, CoordAudit.Listener {

    /** The small limits make OVERLOADED reachable; every replica uses the same. */
    static final CoordConfig CONFIG = new CoordConfig(64, 12, 4, 200);
    static final int TIMEOUT = 400;
    static final int LOCKS = 2;
    /** One operation in this many pauses the client for longer than its session's ttl. */
    static final int PAUSE_ONE_IN = 25;
    private static final String CLOSING_KEY = "closing";

    /** The answer to a proposal: what the entry did, or null when its outcome is unknown or it was lost. */
    private interface Completion {
        void done(Applied applied);
    }

    private record Pending(String node, long index, byte[] payload, Completion completion) {
    }

    private record Read(String node, String key, CoordClient client) {
    }

    private final EventQueue clock;
    private final SplittableRandom random;
    private final int keys;
    private final List<CoordClient> clients = new ArrayList<>();
    private final Map<Long, CoordClient> bySession = new HashMap<>();
    private final LeaderDuties duties;
    private final CoordAudit audit = new CoordAudit(this);
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<Long, Read> reads = new HashMap<>();
    private final Set<String> leadersSeen = new HashSet<>();
    private SimCluster cluster;
    private boolean running;
    private boolean closed;
    private long operations;
    private long nextRequestId = 1;

    CoordWorkload(EventQueue clock, SplittableRandom random, SimOptions options) {
        this.clock = clock;
        this.random = random;
        this.keys = options.keys();
        this.duties = new LeaderDuties(clock, new NodeClocks(clock, random.split()));
        for (int i = 0; i < 2 + options.clients(); i++) {
            clients.add(new CoordClient("c" + i));
        }
    }

    static CoordSimStateMachine stateMachine() {
        return new CoordSimStateMachine(CONFIG);
    }

    /** What the run exercised, for a failure report. */
    String stats() {
        return audit.stats() + " " + duties.stats();
    }

    @Override
    public void start(SimCluster cluster) {
        this.cluster = cluster;
        running = true;
        duties.start(cluster);
        for (CoordClient c : clients) {
            clock.after(random.nextInt(50), () -> next(c));
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    /** After healing: one put through the log, so that a run ends with the coordination layer serving again. */
    @Override
    public void finish(SimCluster cluster) {
        closingPut();
    }

    private void closingPut() {
        Command put = new Command.Put(CLOSING_KEY, new byte[] {1}, Command.ANY_VERSION, Command.NO_SESSION, null);
        boolean sent = propose(put, applied -> {
            if (applied != null && applied.result() instanceof Result.KeyWritten) {
                closed = true;
            } else {
                clock.after(20, this::closingPut);
            }
        });
        if (!sent) {
            clock.after(20, this::closingPut);
        }
    }

    @Override
    public boolean idle() {
        return closed && pending.isEmpty() && reads.isEmpty();
    }

    @Override
    public long operations() {
        return operations;
    }

    @Override
    public String check() {
        List<String> problems = new ArrayList<>(audit.violations());
        if (!closed) {
            problems.add("liveness: the closing put was not applied after healing");
        }
        return problems.isEmpty() ? null : String.join("; ", problems) + " (" + stats() + ")";
    }

    // ---- proposals -------------------------------------------------------------------------

    /** A node that leads and has announced itself; usually the leader of the highest term. */
    private NodeShell pickLeader() {
        List<NodeShell> serving = cluster.nodes().stream().filter(duties::serving).toList();
        if (serving.isEmpty()) {
            return null;
        }
        NodeShell leader = cluster.leader();
        if (leader != null && serving.contains(leader) && random.nextInt(4) != 0) {
            return leader;
        }
        return serving.get(random.nextInt(serving.size()));
    }

    /** Proposes on a serving leader; false when none took it. */
    private boolean propose(Command command, Completion completion) {
        NodeShell node = pickLeader();
        if (node == null) {
            return false;
        }
        byte[] payload = duties.stamp(node, command);
        long index = duties.propose(node, payload);
        if (index <= 0) {
            return false;
        }
        operations++;
        String key = node.id() + "@" + index;
        Pending p = new Pending(node.id(), index, payload, completion);
        pending.put(key, p);
        clock.after(TIMEOUT, () -> {
            if (pending.remove(key, p)) {
                p.completion().done(null);
            }
        });
        return true;
    }

    @Override
    public void applied(NodeShell node, Entry entry, long fingerprint) {
        CoordSimStateMachine sm = (CoordSimStateMachine) node.stateMachine();
        if (entry.type() == EntryType.NORMAL) {
            audit.applied(node.id(), entry.index(), entry.data(), sm.lastApplied(), sm.coord());
        }
        Pending p = pending.remove(node.id() + "@" + entry.index());
        if (p != null) {
            boolean ours = entry.type() == EntryType.NORMAL && Arrays.equals(entry.data(), p.payload());
            p.completion().done(ours ? sm.lastApplied() : null);
        }
    }

    /** A node seen leading a term it has not announced: its LeaderChanged goes out at once. */
    @Override
    public void advanced(NodeShell node, Ready ready) {
        if (duties.unannounced(node) && leadersSeen.add(node.id() + "@" + node.raft().term())) {
            clock.after(0, () -> duties.lead(node));
        }
    }

    @Override
    public void readServable(NodeShell node, ReadState state) {
        Read read = reads.get(state.requestId());
        if (read == null || !read.node().equals(node.id())) {
            return;
        }
        reads.remove(state.requestId());
        node.stateMachine().query(read.key().getBytes(StandardCharsets.UTF_8));
        read.client().opInFlight = false;
        retryLater(read.client());
    }

    @Override
    public void crashed(String nodeId) {
        duties.crashed(nodeId);
        for (Pending p : List.copyOf(pending.values())) {
            if (p.node().equals(nodeId) && pending.remove(p.node() + "@" + p.index(), p)) {
                p.completion().done(null);
            }
        }
        for (Map.Entry<Long, Read> read : List.copyOf(reads.entrySet())) {
            if (read.getValue().node().equals(nodeId)) {
                reads.remove(read.getKey());
                read.getValue().client().opInFlight = false;
                retryLater(read.getValue().client());
            }
        }
    }

    /** The first apply of an entry anywhere: queued grants and cancelled waits reach their clients. */
    @Override
    public void firstApplied(long index, Command command, Applied applied) {
        for (Event e : applied.events()) {
            CoordClient c = bySession.get(e.session());
            if (e.type() == EventType.LOCK && c != null) {
                c.held.put(e.key(), e.token());
                if (e.key().equals(c.waitingFor)) {
                    c.waitingFor = null;
                }
            }
        }
        if (applied.result() instanceof Result.WaitsCancelled cancelled) {
            for (WaitRef ref : cancelled.waits()) {
                CoordClient c = bySession.get(ref.session());
                if (c != null && ref.key().equals(c.waitingFor)) {
                    c.waitingFor = null;
                }
            }
        }
    }

    // ---- the clients -----------------------------------------------------------------------

    private void retryLater(CoordClient c) {
        clock.after(5 + random.nextInt(40), () -> next(c));
    }

    /** Sends a client command; {@code then} gets what it did, unless the outcome is unknown or the session changed meanwhile. */
    private void send(CoordClient c, Command command, Completion then) {
        c.opInFlight = true;
        long session = c.session;
        boolean sent = propose(command, applied -> {
            c.opInFlight = false;
            if (applied != null && c.session == session) {
                then.done(applied);
            }
            retryLater(c);
        });
        if (!sent) {
            c.opInFlight = false;
            retryLater(c);
        }
    }

    private void next(CoordClient c) {
        if (!running || c.opInFlight) {
            return;
        }
        if (clock.now() < c.pausedUntil) {
            clock.after(c.pausedUntil - clock.now(), () -> next(c));
        } else if (c.session != 0 && random.nextInt(PAUSE_ONE_IN) == 0) {
            // A client process stopped for longer than its ttl (a long GC, a stopped VM): its
            // session expires meanwhile, and on resuming it still believes in its locks.
            c.pausedUntil = clock.now() + c.ttl * 3 / 2 + random.nextInt((int) c.ttl * 2);
            if (random.nextBoolean()) {
                // The clients share a host that stopped: their sessions expire together.
                clients.forEach(other -> other.pausedUntil = Math.max(other.pausedUntil, c.pausedUntil));
            }
            clock.after(c.pausedUntil - clock.now(), () -> {
                if (running && !c.opInFlight && c.waitingFor == null && !c.held.isEmpty()) {
                    fencedPut(c);
                } else {
                    next(c);
                }
            });
        } else if (c.session == 0) {
            openSession(c);
        } else if (c.waitingFor != null) {
            waiting(c);
        } else {
            int dice = random.nextInt(100);
            if (dice < 35) {
                acquire(c);
            } else if (dice < 50 && !c.held.isEmpty()) {
                fencedPut(c);
            } else if (dice < 58 && !c.held.isEmpty()) {
                release(c);
            } else if (dice < 70) {
                put(c);
            } else if (dice < 82) {
                get(c);
            } else if (dice < 87) {
                send(c, new Command.Delete(dataKey(), Command.ANY_VERSION, null), applied -> { });
            } else if (dice < 89) {
                send(c, new Command.CloseSession(c.session), applied -> lostIfGone(c, applied.result()));
            } else {
                acquire(c);
            }
        }
    }

    private void openSession(CoordClient c) {
        long ttl = 1_000 + 250L * random.nextInt(5);
        long lockDelay = random.nextInt(3) == 0 ? 0 : 50L * (1 + random.nextInt(16));
        send(c, new Command.OpenSession(ttl, lockDelay), applied -> {
            if (applied.result() instanceof Result.SessionOpened opened) {
                c.session = opened.session();
                c.ttl = ttl;
                c.lockDelay = lockDelay;
                bySession.put(c.session, c);
                scheduleKeepAlive(c, c.session, c.ttl / 4 + random.nextInt((int) c.ttl / 4));
            }
        });
    }

    /** Keepalives run on their own timer, beside the client's operation. */
    private void scheduleKeepAlive(CoordClient c, long session, long delay) {
        clock.after(delay, () -> keepAlive(c, session));
    }

    private void keepAlive(CoordClient c, long session) {
        if (!running || c.session != session) {
            return;
        }
        if (clock.now() < c.pausedUntil) {
            scheduleKeepAlive(c, session, c.pausedUntil - clock.now());
            return;
        }
        if (c.keepAliveInFlight) {
            scheduleKeepAlive(c, session, 20);
            return;
        }
        c.keepAliveInFlight = true;
        boolean sent = propose(new Command.KeepAlive(session), applied -> {
            c.keepAliveInFlight = false;
            if (applied != null && c.session == session) {
                lostIfGone(c, applied.result());
            }
        });
        if (sent) {
            scheduleKeepAlive(c, session, c.ttl / 4 + random.nextInt((int) c.ttl / 4));
        } else {
            c.keepAliveInFlight = false;
            scheduleKeepAlive(c, session, 20);
        }
    }

    /** The client learns that its session is gone from an answer, never from the event stream. */
    private void lostIfGone(CoordClient c, Result result) {
        boolean gone = result instanceof Result.SessionClosed
                || (result instanceof Result.Failure f && f.code() == ErrorCode.SESSION_NOT_FOUND);
        if (gone) {
            bySession.remove(c.session);
            c.lostSession();
        }
    }

    private void acquire(CoordClient c) {
        String key = "lock" + random.nextInt(LOCKS);
        LockMode mode = random.nextInt(3) == 0 ? LockMode.SHARED : LockMode.EXCLUSIVE;
        int kind = random.nextInt(20);
        long wait = kind < 10 ? 0 : kind < 17 ? 100 + random.nextInt(1500) : 3_000 + random.nextInt(5_000);
        send(c, new Command.Acquire(key, c.session, mode, wait), applied -> {
            Result r = applied.result();
            if (r instanceof Result.LockGranted granted) {
                c.held.put(key, granted.token());
            } else if (r instanceof Result.LockQueued && !c.held.containsKey(key)) {
                c.waitingFor = key;
                c.waitUntil = clock.now() + wait;
            } else {
                lostIfGone(c, r);
            }
        });
    }

    /** Waits for a queued grant; cancels when the wait is over (or the client tires of it). */
    private void waiting(CoordClient c) {
        if (clock.now() < c.waitUntil + 100 && random.nextInt(20) != 0) {
            clock.after(50, () -> next(c));
            return;
        }
        String key = c.waitingFor;
        send(c, new Command.CancelWait(key, c.session), applied -> {
            if (key.equals(c.waitingFor)) {
                c.waitingFor = null;
            }
            lostIfGone(c, applied.result());
        });
    }

    private void fencedPut(CoordClient c) {
        List<String> locks = List.copyOf(c.held.keySet());
        String lock = locks.get(random.nextInt(locks.size()));
        long token = c.held.get(lock);
        byte[] value = (c.name + "-" + c.writes++).getBytes(StandardCharsets.UTF_8);
        send(c, new Command.Put("data/" + lock, value, Command.ANY_VERSION, Command.NO_SESSION, new Fence(lock, token)), applied -> {
            if (applied.result() instanceof Result.Failure f && f.code() == ErrorCode.FENCED) {
                c.held.remove(lock, token);
            }
        });
    }

    private void release(CoordClient c) {
        List<String> locks = List.copyOf(c.held.keySet());
        String lock = locks.get(random.nextInt(locks.size()));
        send(c, new Command.Release(lock, c.session), applied -> {
            if (applied.result() instanceof Result.LockReleased) {
                c.held.remove(lock);
            } else {
                lostIfGone(c, applied.result());
            }
        });
    }

    private void put(CoordClient c) {
        byte[] value = (c.name + "-" + c.writes++).getBytes(StandardCharsets.UTF_8);
        long owner = random.nextInt(5) == 0 ? c.session : Command.NO_SESSION;
        long expected = random.nextInt(5) == 0 ? Command.ABSENT : Command.ANY_VERSION;
        send(c, new Command.Put(dataKey(), value, expected, owner, null), applied -> lostIfGone(c, applied.result()));
    }

    private String dataKey() {
        return "k" + random.nextInt(keys);
    }

    /** A linearizable read through ReadIndex on a serving leader. */
    private void get(CoordClient c) {
        NodeShell node = pickLeader();
        if (node == null) {
            retryLater(c);
            return;
        }
        long requestId = nextRequestId++;
        try {
            cluster.guarded(node.id(), () -> node.raft().readIndex(requestId));
        } catch (ProposalRejectedException e) {
            retryLater(c);
            return;
        }
        operations++;
        c.opInFlight = true;
        Read read = new Read(node.id(), random.nextBoolean() ? dataKey() : "data/lock" + random.nextInt(LOCKS), c);
        reads.put(requestId, read);
        clock.after(TIMEOUT, () -> {
            if (reads.remove(requestId, read)) {
                c.opInFlight = false;
                retryLater(c);
            }
        });
    }
}
