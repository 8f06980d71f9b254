package io.quorum.raft.sim;

import io.quorum.raft.protocol.ConfChange;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.ProposalRejectedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Grows and shrinks the cluster while faults go on: a new node with an empty disk joins as a
 * learner, is promoted, and then a voter (possibly the leader) is removed and, once its removal is
 * committed, shut down for good. Every decision is taken from the configuration committed at the
 * current leader, and each step is re-proposed until it sticks, since a leader change can lose an
 * uncommitted change.
 */
public final class MembershipDriver {

    private final EventQueue clock;
    private final SplittableRandom random;
    private final SimCluster cluster;
    private final Set<String> retired;
    private final Consumer<String> shutDown;
    private final List<String> log = new ArrayList<>();
    private final String joiner;
    private String leaving;
    private boolean running;

    public MembershipDriver(EventQueue clock, SplittableRandom random, SimCluster cluster, Set<String> retired,
                            Consumer<String> shutDown) {
        this.clock = clock;
        this.random = random;
        this.cluster = cluster;
        this.retired = retired;
        this.shutDown = shutDown;
        this.joiner = Integer.toString(cluster.ids().size() + 1);
    }

    public List<String> log() {
        return log;
    }

    public void start() {
        running = true;
        clock.after(200 + random.nextInt(800), this::step);
    }

    public void stop() {
        running = false;
    }

    private void step() {
        if (!running) {
            return;
        }
        NodeShell leader = cluster.leader();
        if (leader != null && !cluster.paused(leader.id())) {
            Membership committed = leader.raft().membershipAt(leader.raft().commitIndex());
            ConfChange change = nextChange(committed);
            if (change == null) {
                return;
            }
            if (cluster.node(joiner) == null) {
                cluster.addEmptyNode(joiner);
            }
            try {
                cluster.guarded(leader.id(), () -> leader.raft().proposeConfChange(change));
                log.add("t=" + clock.now() + " " + leader.id() + " proposed " + change.type() + " " + change.nodeId());
            } catch (ProposalRejectedException e) {
                // another change is pending or the leader has not committed in its term yet: retry
            }
        }
        clock.after(40 + random.nextInt(120), this::step);
    }

    private ConfChange nextChange(Membership committed) {
        if (!committed.contains(joiner) && leaving == null) {
            return new ConfChange(ConfChange.Type.ADD_LEARNER, joiner, "sim://" + joiner);
        }
        if (committed.isLearner(joiner)) {
            return new ConfChange(ConfChange.Type.PROMOTE, joiner, "");
        }
        if (leaving == null) {
            List<String> voters = new ArrayList<>(committed.voters());
            voters.remove(joiner);
            leaving = voters.get(random.nextInt(voters.size()));
        }
        if (committed.contains(leaving)) {
            return new ConfChange(ConfChange.Type.REMOVE, leaving, "");
        }
        retired.add(leaving);
        shutDown.accept(leaving);
        log.add("t=" + clock.now() + " removed " + leaving + " and shut it down");
        return null;
    }
}
