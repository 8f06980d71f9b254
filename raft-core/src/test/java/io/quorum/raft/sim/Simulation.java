package io.quorum.raft.sim;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.ReadState;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.sim.SimCluster.CrashMode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One seeded run: a cluster under random faults with clients on top, the invariant checker after
 * every step, then every fault healed and a bounded wait for liveness: a leader that has committed
 * an entry of its term, nothing left uncommitted in its log, and every member caught up.
 * The whole run is a function of the seed.
 */
public final class Simulation {

    /** Time after healing within which the cluster must be live again (about 20 to 40 election timeouts). */
    static final long LIVENESS_BOUND = 3000;

    /** What a run did and what went wrong; {@code violations} empty means it passed. */
    public record Outcome(long seed, long steps, int faults, long operations, List<String> violations, List<String> faultLog) {
    }

    private final long seed;
    private final Supplier<SimStateMachine> stateMachines;
    private final WorkloadFactory workloads;

    /** Builds the clients for one run. */
    @FunctionalInterface
    public interface WorkloadFactory {
        SimWorkload create(EventQueue clock, SplittableRandom random, SimOptions options);
    }

    /**
     * @param workloads builds the clients for a run from its clock and random source; the
     *                  register workload over {@link KvStateMachine} is {@link #registers(long)}
     */
    public Simulation(long seed, Supplier<SimStateMachine> stateMachines, WorkloadFactory workloads) {
        this.seed = seed;
        this.stateMachines = stateMachines;
        this.workloads = workloads;
    }

    /** The raft-core run: registers in {@link KvStateMachine}, clients from the seed's options. */
    public static Simulation registers(long seed) {
        return new Simulation(seed, KvStateMachine::new,
                (clock, random, options) -> new RegisterWorkload(clock, random, options.clients(), options.keys()));
    }

    public Outcome run() {
        SplittableRandom random = new SplittableRandom(seed);
        SimOptions options = SimOptions.draw(random.split());
        EventQueue clock = new EventQueue();
        InvariantChecker checker = new InvariantChecker();
        SimWorkload workload = workloads.create(clock, random.split(), options);
        SimCluster cluster = new SimCluster(clock, random.split(), options, stateMachines, fanOut(checker, workload));
        Set<String> retired = new HashSet<>();
        List<String> voters = new ArrayList<>();
        for (int i = 1; i <= options.nodes(); i++) {
            voters.add(Integer.toString(i));
        }
        cluster.bootstrap(voters);
        Nemesis nemesis = new Nemesis(clock, random.split(), cluster, options,
                (id, mode) -> crash(cluster, checker, workload, id, mode),
                id -> restart(cluster, checker, id), retired);
        cluster.setCrashAfterBegin(nemesis::crashWhileVoting);
        MembershipDriver membership = new MembershipDriver(clock, random.split(), cluster, retired,
                id -> crash(cluster, checker, workload, id, CrashMode.AFTER_SYNC));
        workload.start(cluster);
        nemesis.start();
        if (options.membershipChanges()) {
            membership.start();
        }

        long steps = 0;
        List<String> violations = new ArrayList<>();
        long highestTerm = 0;
        while (violations.isEmpty() && clock.runNext(options.faultPhaseLength())) {
            steps++;
            collect(cluster, checker, violations);
            NodeShell leader = cluster.leader();
            if (leader != null && leader.raft().term() > highestTerm) {
                highestTerm = leader.raft().term();
                nemesis.newLeader(leader.id());
            }
        }
        membership.stop();
        workload.stop();
        nemesis.healAll();
        long healedAt = clock.now();
        boolean live = false;
        while (violations.isEmpty() && !live && clock.runNext(healedAt + LIVENESS_BOUND)) {
            steps++;
            collect(cluster, checker, violations);
            live = live(cluster, retired);
        }
        if (violations.isEmpty() && !live) {
            violations.add("liveness: " + LIVENESS_BOUND + " time units after healing at t=" + healedAt + ": " + describe(cluster, retired));
        }
        if (violations.isEmpty()) {
            workload.finish(cluster);
            long finishing = clock.now();
            while (violations.isEmpty() && !workload.idle() && clock.runNext(finishing + LIVENESS_BOUND)) {
                steps++;
                collect(cluster, checker, violations);
            }
        }
        if (violations.isEmpty()) {
            String history = workload.check();
            if (history != null) {
                violations.add(history);
            }
        }
        List<String> faultLog = new ArrayList<>(nemesis.log());
        faultLog.addAll(membership.log());
        faultLog.add("options " + options);
        return new Outcome(seed, steps, nemesis.faults(), workload.operations(), violations, faultLog);
    }

    private static void collect(SimCluster cluster, InvariantChecker checker, List<String> violations) {
        cluster.traceStates();
        checker.afterStep(cluster);
        violations.addAll(checker.violations());
        for (RuntimeException e : cluster.protocolFailures()) {
            violations.add("protocol threw " + e.getMessage());
        }
    }

    private static void crash(SimCluster cluster, InvariantChecker checker, SimWorkload workload, String id, CrashMode mode) {
        cluster.crash(id, mode);
        checker.crashed(id, mode);
        workload.crashed(id);
    }

    private static void restart(SimCluster cluster, InvariantChecker checker, String id) {
        NodeShell node = cluster.node(id);
        if (node.isUp()) {
            return;
        }
        cluster.restart(id);
        if (node.isUp()) {
            checker.restarted(node);
        }
    }

    /** Live: a leader with an entry of its term committed, its whole log committed, every member caught up. */
    private static boolean live(SimCluster cluster, Set<String> retired) {
        NodeShell leader = cluster.leader();
        if (leader == null) {
            return false;
        }
        Raft raft = leader.raft();
        long commit = raft.commitIndex();
        if (commit != raft.lastIndex() || commit < leader.storage().firstIndex() - 1 || leader.storage().lastIndex() < commit
                || leader.storage().term(commit) != raft.term()) {
            return false;
        }
        Membership members = raft.membershipAt(commit);
        for (String id : members.members()) {
            NodeShell node = cluster.node(id);
            if (retired.contains(id) || node == null || !node.isUp() || node.appliedIndex() < commit
                    || !leader.id().equals(node.raft().leader())) {
                return false;
            }
        }
        return true;
    }

    private static String describe(SimCluster cluster, Set<String> retired) {
        StringBuilder s = new StringBuilder();
        for (NodeShell node : cluster.nodes()) {
            s.append(node.id()).append(retired.contains(node.id()) ? "(retired)" : "").append(": ");
            if (!node.isUp()) {
                s.append("down; ");
                continue;
            }
            Raft raft = node.raft();
            s.append(raft.role()).append(" term=").append(raft.term()).append(" leader=").append(raft.leader())
                    .append(" commit=").append(raft.commitIndex()).append(" last=").append(raft.lastIndex())
                    .append(" applied=").append(node.appliedIndex()).append(" ").append(raft.membership()).append("; ");
        }
        return s.toString();
    }

    private static ShellObserver fanOut(ShellObserver a, ShellObserver b) {
        return new ShellObserver() {
            @Override
            public void persisted(NodeShell node, Ready ready, int entriesWritten, boolean hardStateWritten) {
                a.persisted(node, ready, entriesWritten, hardStateWritten);
                b.persisted(node, ready, entriesWritten, hardStateWritten);
            }

            @Override
            public void applied(NodeShell node, Entry entry, long fingerprint) {
                a.applied(node, entry, fingerprint);
                b.applied(node, entry, fingerprint);
            }

            @Override
            public void restored(NodeShell node, SnapshotMeta meta, long fingerprint) {
                a.restored(node, meta, fingerprint);
                b.restored(node, meta, fingerprint);
            }

            @Override
            public void readServable(NodeShell node, ReadState state) {
                a.readServable(node, state);
                b.readServable(node, state);
            }

            @Override
            public void advanced(NodeShell node, Ready ready) {
                a.advanced(node, ready);
                b.advanced(node, ready);
            }
        };
    }
}
