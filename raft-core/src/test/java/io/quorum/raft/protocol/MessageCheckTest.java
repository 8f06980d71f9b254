package io.quorum.raft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.protocol.Message.AppendEntries;
import io.quorum.raft.protocol.Message.AppendResponse;
import io.quorum.raft.protocol.Message.Heartbeat;
import io.quorum.raft.protocol.Message.InstallSnapshot;
import io.quorum.raft.protocol.Message.VoteRequest;
import io.quorum.raft.protocol.MessageCheck.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCheckTest {

    private static Problem problem(Message m) {
        MessageCheck.Violation v = MessageCheck.problem(m);
        return v == null ? null : v.problem();
    }

    private static Entry entry(long term, long index) {
        return new Entry(term, index, EntryType.NORMAL, new byte[0]);
    }

    @Test
    void wellFormedMessagesPass() {
        assertThat(problem(new Heartbeat("1", "2", 3, 10, 0))).isNull();
        assertThat(problem(new VoteRequest("1", "2", 4, 10, 3, true, false))).isNull();
        assertThat(problem(new AppendEntries("1", "2", 3, 5, 2, List.of(entry(2, 6), entry(3, 7)), 6))).isNull();
        assertThat(problem(new AppendEntries("1", "2", 3, 0, 0, List.of(), 0))).isNull();
        assertThat(problem(new Heartbeat("1", "2", MessageCheck.MAX_TERM, 0, 0))).isNull();
    }

    @Test
    void aTermThatWouldOverflowOrIsNegativeIsRefused() {
        assertThat(problem(new Heartbeat("x", "2", Long.MAX_VALUE, 0, 0))).isEqualTo(Problem.TERM_OUT_OF_RANGE);
        assertThat(problem(new Heartbeat("x", "2", MessageCheck.MAX_TERM + 1, 0, 0))).isEqualTo(Problem.TERM_OUT_OF_RANGE);
        assertThat(problem(new VoteRequest("x", "2", -1, 0, 0, false, false))).isEqualTo(Problem.TERM_OUT_OF_RANGE);
    }

    @Test
    void missingIdsAreRefused() {
        assertThat(problem(new Heartbeat(null, "2", 1, 0, 0))).isEqualTo(Problem.MISSING_ID);
        assertThat(problem(new Heartbeat("", "2", 1, 0, 0))).isEqualTo(Problem.MISSING_ID);
        assertThat(problem(new Heartbeat("1", null, 1, 0, 0))).isEqualTo(Problem.MISSING_ID);
    }

    @Test
    void numbersNoLogCanHaveAreRefused() {
        assertThat(problem(new Heartbeat("1", "2", 1, -5, 0))).isEqualTo(Problem.INVALID);
        assertThat(problem(new AppendResponse("1", "2", 1, true, -1, 0, 0, 0))).isEqualTo(Problem.INVALID);
        // entries that skip an index, go back in term, or come from a term after the leader's
        assertThat(problem(new AppendEntries("1", "2", 3, 5, 2, List.of(entry(2, 7)), 0))).isEqualTo(Problem.INVALID);
        assertThat(problem(new AppendEntries("1", "2", 3, 5, 3, List.of(entry(2, 6)), 0))).isEqualTo(Problem.INVALID);
        assertThat(problem(new AppendEntries("1", "2", 3, 5, 2, List.of(entry(4, 6)), 0))).isEqualTo(Problem.INVALID);
        assertThat(problem(new AppendEntries("1", "2", 3, 5, 4, List.of(), 0))).isEqualTo(Problem.INVALID);
        assertThat(problem(new VoteRequest("1", "2", 3, 10, 4, false, false))).isEqualTo(Problem.INVALID);
        SnapshotMeta meta = new SnapshotMeta(10, 2, Membership.ofVoters(List.of("1", "2")), 4);
        byte[] chunk = "abc".getBytes(StandardCharsets.UTF_8);
        assertThat(problem(new InstallSnapshot("1", "2", 3, meta, 1, chunk, true))).isNull();
        assertThat(problem(new InstallSnapshot("1", "2", 3, meta, 2, chunk, true))).isEqualTo(Problem.INVALID);
        assertThat(problem(new InstallSnapshot("1", "2", 3, meta, -1, chunk, true))).isEqualTo(Problem.INVALID);
        assertThat(problem(new InstallSnapshot("1", "2", 1, meta, 0, chunk, false))).isEqualTo(Problem.INVALID);
    }

    @Test
    void aFollowerIgnoresAHeartbeatWhoseTermWouldOverflowAndTheClusterGoesOn() {
        MiniCluster c = new MiniCluster(3);
        c.elect("1");
        long term = c.node("2").term();
        c.node("2").step(new Heartbeat("1", "2", Long.MAX_VALUE, 0, 0));
        c.node("2").step(new Heartbeat(null, "2", term + 1, 0, 0));
        assertThat(c.node("2").term()).isEqualTo(term);
        assertThat(c.node("2").leader()).isEqualTo("1");
        long index = c.node("1").propose("after".getBytes(StandardCharsets.UTF_8));
        c.stabilize();
        assertThat(c.node("2").commitIndex()).isEqualTo(index);
    }
}
