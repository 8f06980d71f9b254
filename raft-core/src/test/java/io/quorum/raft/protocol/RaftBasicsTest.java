package io.quorum.raft.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RaftBasicsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void electsALeaderAndCommitsOnEveryNode() {
        MiniCluster c = new MiniCluster(3);
        c.elect("1");
        assertThat(c.node("1").role()).isEqualTo(Role.LEADER);
        assertThat(c.node("2").leader()).isEqualTo("1");
        c.node("1").propose(bytes("a"));
        c.node("1").propose(bytes("b"));
        c.stabilize();
        for (String id : c.nodes.keySet()) {
            assertThat(c.appliedCommands(id)).containsExactly(bytes("a"), bytes("b"));
        }
    }

    @Test
    void singleNodeCommitsAndReadsAlone() {
        MiniCluster c = new MiniCluster(1);
        c.elect("1");
        assertThat(c.node("1").role()).isEqualTo(Role.LEADER);
        long index = c.node("1").propose(bytes("x"));
        c.stabilize();
        assertThat(c.node("1").commitIndex()).isEqualTo(index);
        c.node("1").readIndex(42);
        c.stabilize();
        assertThat(c.reads.get("1")).containsExactly(new ReadState(42, index));
    }

    @Test
    void followerRejectsProposalsWithLeaderHint() {
        MiniCluster c = new MiniCluster(3);
        c.elect("1");
        assertThatThrownBy(() -> c.node("2").propose(bytes("x")))
                .isInstanceOf(ProposalRejectedException.class)
                .satisfies(e -> assertThat(((ProposalRejectedException) e).leaderHint()).isEqualTo("1"));
    }

    @Test
    void readIndexFromFollowerAnswersWithLeaderCommit() {
        MiniCluster c = new MiniCluster(3);
        c.elect("1");
        long index = c.node("1").propose(bytes("x"));
        c.stabilize();
        c.node("3").readIndex(7);
        c.stabilize();
        assertThat(c.reads.get("3")).containsExactly(new ReadState(7, index));
    }

    @Test
    void newLeaderAfterIsolationAndLogRepair() {
        MiniCluster c = new MiniCluster(3);
        c.elect("1");
        c.node("1").propose(bytes("a"));
        c.stabilize();
        c.isolated.add("1");
        c.node("1").propose(bytes("lost"));
        c.stabilize();
        // Node 3 keeps its lease on the old leader for an election timeout (check-quorum), so the
        // new leader emerges only when the timeouts run.
        c.tickAll(40);
        String newLeader = c.node("2").role() == Role.LEADER ? "2" : "3";
        assertThat(c.node(newLeader).role()).isEqualTo(Role.LEADER);
        assertThat(c.node("1").role()).as("isolated leader stepped down (check-quorum)").isNotEqualTo(Role.LEADER);
        assertThat(c.node("1").term()).as("pre-vote kept the isolated node's term").isEqualTo(2);
        c.node(newLeader).propose(bytes("b"));
        c.stabilize();
        c.isolated.clear();
        c.tickAll(3);
        assertThat(c.node("1").role()).isEqualTo(Role.FOLLOWER);
        for (String id : c.nodes.keySet()) {
            assertThat(c.appliedCommands(id)).containsExactly(bytes("a"), bytes("b"));
        }
    }

    @Test
    void learnerCatchesUpBySnapshotAndIsPromoted() {
        MiniCluster c = new MiniCluster(3);
        c.elect("1");
        for (int i = 0; i < 5; i++) {
            c.node("1").propose(bytes("v" + i));
        }
        c.stabilize();
        long applied = c.node("1").commitIndex();
        byte[] state = bytes("state-at-" + applied);
        c.disks.get("1").saveSnapshotAndCompact(new Snapshot(new SnapshotMeta(applied, c.disks.get("1").term(applied),
                c.node("1").membershipAt(applied), state.length), state));
        c.addEmptyNode("4");
        c.node("1").proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, "4", "addr4"));
        c.stabilize();
        c.tickAll(2);
        assertThat(c.disks.get("4").snapshot().data()).isEqualTo(state);
        assertThat(c.node("4").membership().isLearner("4")).isTrue();
        c.node("1").proposeConfChange(new ConfChange(ConfChange.Type.PROMOTE, "4", ""));
        c.stabilize();
        assertThat(c.node("1").membership().voters()).containsExactly("1", "2", "3", "4");
        assertThat(c.node("4").membership().voters()).containsExactly("1", "2", "3", "4");
        assertThat(c.node("4").commitIndex()).isEqualTo(c.node("1").commitIndex());
    }

    @Test
    void leadershipTransferHandsOverToTarget() {
        MiniCluster c = new MiniCluster(3);
        c.elect("1");
        c.node("1").transferLeadership("3");
        c.stabilize();
        assertThat(c.node("3").role()).isEqualTo(Role.LEADER);
        assertThat(c.node("1").role()).isEqualTo(Role.FOLLOWER);
    }
}
