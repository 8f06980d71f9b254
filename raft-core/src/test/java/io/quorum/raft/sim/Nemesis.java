package io.quorum.raft.sim;

import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.sim.SimCluster.CrashMode;
import io.quorum.raft.sim.SimNetwork.Weather;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Injects faults at random moments: partitions of every shape, one-way cuts, bad network weather,
 * pauses (a process stopped and resumed, its clock and mailbox frozen meanwhile), leadership
 * transfers (to any member, reachable or not), failed fsyncs that stop a node for long, node crashes (one node, the leader, or all at once; with the write in flight lost, torn or
 * synced) with restarts after a random pause, and application snapshots that compact logs.
 */
public final class Nemesis {

    private final EventQueue clock;
    private final SplittableRandom random;
    private final SimCluster cluster;
    private final SimOptions options;
    private final BiConsumer<String, CrashMode> onCrash;
    private final Consumer<String> onRestart;
    private final Set<String> retired;
    private final List<String> log = new ArrayList<>();
    private boolean running;
    private int faults;

    public Nemesis(EventQueue clock, SplittableRandom random, SimCluster cluster, SimOptions options,
                   BiConsumer<String, CrashMode> onCrash, Consumer<String> onRestart, Set<String> retired) {
        this.clock = clock;
        this.random = random;
        this.cluster = cluster;
        this.options = options;
        this.onCrash = onCrash;
        this.onRestart = onRestart;
        this.retired = retired;
    }

    public int faults() {
        return faults;
    }

    /** What was injected and when, for a failure report. */
    public List<String> log() {
        return log;
    }

    public void start() {
        running = true;
        clock.after(100 + random.nextInt(300), this::strike);
        if (options.compaction()) {
            clock.after(50 + random.nextInt(150), this::compact);
        }
    }

    /**
     * Called when {@code id} is seen leading a new term. Under leader churn the new leader is often
     * cut off or crashed before its first entries reach anyone, as in the paper's Figure 8.
     */
    public void newLeader(String id) {
        if (!running || !options.leaderChurn() || random.nextInt(3) == 0) {
            return;
        }
        clock.after(random.nextInt(2 * options.maxDiskDelay() + 8), () -> {
            if (!running || !cluster.node(id).isUp()) {
                return;
            }
            faults++;
            if (random.nextBoolean()) {
                note("churn: " + cluster.network().topology().isolate(live(), id));
            } else {
                note("churn:");
                crash(id, 20 + random.nextInt(200));
            }
        });
    }

    /**
     * Called with each Ready as it is taken: under crashWhileVoting a node about to grant a vote is
     * often crashed before the vote is durable, and restarted at once so it can be asked again in
     * the same term. Returns whether it crashed the node.
     */
    public boolean crashWhileVoting(NodeShell node, Ready ready) {
        if (!running || !options.crashWhileVoting() || random.nextInt(3) != 0) {
            return false;
        }
        boolean grantsVote = ready.messages().stream().anyMatch(m -> m instanceof Message.VoteResponse v && v.granted() && !v.preVote())
                || ready.earlyMessages().stream().anyMatch(m -> m instanceof Message.VoteResponse v && v.granted() && !v.preVote());
        if (!grantsVote) {
            return false;
        }
        faults++;
        onCrash.accept(node.id(), CrashMode.LOSE_UNSYNCED);
        note("crash " + node.id() + " while granting a vote, restart at once");
        int pause = 1 + random.nextInt(10);
        clock.after(pause, () -> {
            if (running && !retired.contains(node.id())) {
                onRestart.accept(node.id());
            }
        });
        return true;
    }

    /** Stops injecting, heals the network and restarts every node that is down. */
    public void healAll() {
        running = false;
        cluster.network().topology().heal();
        cluster.network().setWeather(Weather.CALM);
        cluster.resumeAll();
        for (String id : cluster.ids()) {
            if (!retired.contains(id)) {
                onRestart.accept(id);
            }
        }
        note("heal all");
    }

    private void note(String what) {
        log.add("t=" + clock.now() + " " + what);
    }

    private List<String> live() {
        return cluster.ids().stream().filter(id -> !retired.contains(id)).toList();
    }

    private void strike() {
        if (!running) {
            return;
        }
        faults++;
        List<String> nodes = live();
        Topology topology = cluster.network().topology();
        NodeShell leader = cluster.leader();
        String target = leader != null && random.nextBoolean() ? leader.id() : nodes.get(random.nextInt(nodes.size()));
        switch (random.nextInt(14)) {
            case 0 -> note(topology.halves(nodes, random));
            case 1 -> note(topology.bridge(nodes, random));
            case 2 -> note(topology.ring(nodes, random));
            case 3 -> note(topology.isolate(nodes, target));
            case 4 -> note(topology.partial(nodes, random, 0.2 + random.nextDouble() * 0.3));
            case 5 -> {
                String other = nodes.get(random.nextInt(nodes.size()));
                if (!other.equals(target)) {
                    topology.cutOneWay(target, other);
                }
                note("cut " + target + " > " + other);
            }
            case 6 -> {
                topology.heal();
                note("heal network");
            }
            case 7 -> {
                if (random.nextBoolean()) {
                    weather();
                } else {
                    int pause = 50 + random.nextInt(500);
                    cluster.pause(target, pause);
                    note("pause " + target + " for " + pause);
                }
            }
            case 8, 9, 10 -> crash(target, 30 + random.nextInt(600));
            case 12 -> transferLeadership(leader, nodes);
            case 13 -> {
                // An fsync that fails stops the node (fail-stop): nothing unsynced survives, and it
                // stays down until an operator brings it back, much later.
                note("fsync failed on " + target + ":");
                crash(target, 600 + random.nextInt(1200));
            }
            default -> {
                if (random.nextInt(4) == 0) {
                    note("crash all");
                    int pause = 20 + random.nextInt(300);
                    nodes.forEach(id -> crash(id, pause));
                } else {
                    crash(nodes.get(random.nextInt(nodes.size())), 30 + random.nextInt(300));
                }
            }
        }
        clock.after(50 + random.nextInt(500), this::strike);
    }

    private void transferLeadership(NodeShell leader, List<String> nodes) {
        if (leader == null || cluster.paused(leader.id())) {
            return;
        }
        String to = nodes.get(random.nextInt(nodes.size()));
        try {
            cluster.guarded(leader.id(), () -> leader.raft().transferLeadership(to));
            note("transfer leadership " + leader.id() + " -> " + to);
        } catch (ProposalRejectedException e) {
            note("transfer leadership " + leader.id() + " -> " + to + " refused: " + e.reason());
        }
    }

    private void weather() {
        Weather w = new Weather(random.nextDouble() * 0.2, random.nextDouble() * 0.1, 1, 2 + random.nextInt(15),
                random.nextDouble() * 0.2);
        cluster.network().setWeather(w);
        note("weather " + w);
    }

    private void crash(String id, int pause) {
        if (!cluster.node(id).isUp()) {
            return;
        }
        CrashMode mode = CrashMode.values()[random.nextInt(CrashMode.values().length)];
        onCrash.accept(id, mode);
        note("crash " + id + " " + mode + ", restart in " + pause);
        clock.after(pause, () -> {
            if (running && !retired.contains(id)) {
                onRestart.accept(id);
                note("restart " + id);
            }
        });
    }

    private void compact() {
        if (!running) {
            return;
        }
        for (String id : live()) {
            if (random.nextInt(3) == 0 && cluster.compact(id)) {
                note("compact " + id + " through " + cluster.node(id).appliedIndex());
            }
        }
        clock.after(50 + random.nextInt(200), this::compact);
    }
}
