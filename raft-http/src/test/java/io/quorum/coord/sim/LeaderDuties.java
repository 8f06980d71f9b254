package io.quorum.coord.sim;

import io.quorum.coord.Command;
import io.quorum.coord.CommandCodec;
import io.quorum.coord.StampedCommand;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.sim.EventQueue;
import io.quorum.raft.sim.NodeShell;
import io.quorum.raft.sim.SimCluster;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What the node layer does while it leads (io.quorum.coord's package-info): on becoming leader,
 * propose {@link Command.LeaderChanged} before any client command; then, every tick, propose the
 * commands of {@code dueWork(now)} stamped with its clock, without proposing again work that is
 * still in flight (proposed in this term at an index not yet applied).
 */
final class LeaderDuties {

    /** Every tick of the nominal node clock. */
    static final int INTERVAL = 10;

    private record InFlight(long term, long index) {
    }

    private final EventQueue clock;
    private final NodeClocks clocks;
    private SimCluster cluster;
    /** node → the term in which it proposed its LeaderChanged. */
    private final Map<String, Long> announced = new HashMap<>();
    private final Map<String, Map<Command, InFlight>> inFlight = new HashMap<>();
    private long leaderChanges;
    private long dueWork;

    LeaderDuties(EventQueue clock, NodeClocks clocks) {
        this.clock = clock;
        this.clocks = clocks;
    }

    void start(SimCluster cluster) {
        this.cluster = cluster;
        clock.after(INTERVAL, this::run);
    }

    /** Whether the node leads and has proposed its LeaderChanged: it takes client commands. */
    boolean serving(NodeShell node) {
        return node.isUp() && !cluster.paused(node.id()) && node.raft().role() == Role.LEADER
                && Long.valueOf(node.raft().term()).equals(announced.get(node.id()));
    }

    /** A crash loses what the node's leader loop remembered. */
    void crashed(String id) {
        announced.remove(id);
        inFlight.remove(id);
    }

    /** LeaderChanged and due-work commands proposed so far. */
    String stats() {
        return "leaderChanged=" + leaderChanges + " dueWork=" + dueWork;
    }

    private void run() {
        for (NodeShell node : cluster.nodes()) {
            lead(node);
        }
        clock.after(INTERVAL, this::run);
    }

    /** Whether the node leads in its current term without having proposed its LeaderChanged yet. */
    boolean unannounced(NodeShell node) {
        return node.isUp() && node.raft().role() == Role.LEADER && !Long.valueOf(node.raft().term()).equals(announced.get(node.id()));
    }

    /** The duties of a leader, now; nothing when the node does not lead or is paused. */
    void lead(NodeShell node) {
        if (!node.isUp() || cluster.paused(node.id()) || node.raft().role() != Role.LEADER) {
            return;
        }
        long term = node.raft().term();
        if (!Long.valueOf(term).equals(announced.get(node.id()))) {
            if (propose(node, new Command.LeaderChanged()) > 0) {
                announced.put(node.id(), term);
                inFlight.remove(node.id());
                leaderChanges++;
            }
            return;
        }
        Map<Command, InFlight> mine = inFlight.computeIfAbsent(node.id(), k -> new HashMap<>());
        Iterator<InFlight> it = mine.values().iterator();
        while (it.hasNext()) {
            InFlight f = it.next();
            if (f.term() != term || f.index() <= node.appliedIndex()) {
                it.remove();
            }
        }
        CoordSimStateMachine sm = (CoordSimStateMachine) node.stateMachine();
        for (Command work : sm.coord().dueWork(clocks.now(node.id()))) {
            if (!mine.containsKey(work)) {
                long index = propose(node, work);
                if (index > 0) {
                    mine.put(work, new InFlight(term, index));
                    dueWork++;
                }
            }
        }
    }

    /** Proposes {@code command} stamped with the node's clock; the index, or -1 when refused. */
    long propose(NodeShell node, Command command) {
        return propose(node, stamp(node, command));
    }

    /** The payload the leader proposes: the command stamped with its clock. */
    byte[] stamp(NodeShell node, Command command) {
        return CommandCodec.encode(new StampedCommand(clocks.now(node.id()), command));
    }

    /** Proposes a payload on the node; the index, or -1 when refused. */
    long propose(NodeShell node, byte[] payload) {
        long[] index = {-1};
        try {
            cluster.guarded(node.id(), () -> index[0] = node.raft().propose(payload));
        } catch (ProposalRejectedException e) {
            return -1;
        }
        return index[0];
    }
}
