package io.quorum.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.MessageCheck;
import io.quorum.raft.transport.PeerMessage.ForwardAdmin;
import io.quorum.raft.transport.PeerMessage.ForwardProposal;
import io.quorum.raft.transport.PeerMessage.ForwardResult;
import io.quorum.raft.transport.PeerMessage.RaftFrame;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameCheckTest {

    private static final Set<String> PEERS = Set.of("n1", "n3");
    private static final ConnectionOrigin PLAIN = ConnectionOrigin.plaintext("127.0.0.1:50000");

    private static FrameRejection check(PeerMessage m, ConnectionOrigin origin) {
        FrameCheck.Verdict verdict = FrameCheck.check(m, origin, "n2", PEERS);
        return verdict == null ? null : verdict.reason();
    }

    private static FrameRejection check(PeerMessage m) {
        return check(m, PLAIN);
    }

    private static PeerMessage heartbeat(String from, String to, long term) {
        return new RaftFrame(new Message.Heartbeat(from, to, term, 0, 0));
    }

    @Test
    void aMembersWellFormedFramePasses() {
        assertThat(check(heartbeat("n1", "n2", 5))).isNull();
        assertThat(check(new ForwardProposal("n3", "n2", 1, new byte[] {1}))).isNull();
        assertThat(check(new ForwardAdmin("n1", "n2", 1, AdminOp.TRANSFER_LEADERSHIP, "n3", ""))).isNull();
    }

    @Test
    void framesFromStrangersAreRefusedForwardsIncluded() {
        assertThat(check(heartbeat("intruder", "n2", 5))).isEqualTo(FrameRejection.NOT_A_MEMBER);
        assertThat(check(heartbeat("n2", "n2", 5))).as("a frame claiming to be from this node").isEqualTo(FrameRejection.NOT_A_MEMBER);
        assertThat(check(new ForwardProposal("intruder", "n2", 1, new byte[] {1}))).isEqualTo(FrameRejection.NOT_A_MEMBER);
        assertThat(check(new ForwardAdmin("intruder", "n2", 1, AdminOp.REMOVE_MEMBER, "n1", "")))
                .isEqualTo(FrameRejection.NOT_A_MEMBER);
    }

    @Test
    void nullAndEmptyIdsAreRefused() {
        assertThat(check(heartbeat(null, "n2", 5))).isEqualTo(FrameRejection.MISSING_ID);
        assertThat(check(heartbeat("", "n2", 5))).isEqualTo(FrameRejection.MISSING_ID);
        assertThat(check(heartbeat("n1", null, 5))).isEqualTo(FrameRejection.MISSING_ID);
        assertThat(check(new ForwardProposal(null, "n2", 1, new byte[0]))).isEqualTo(FrameRejection.MISSING_ID);
    }

    @Test
    void aTermThatWouldOverflowIsRefusedEvenFromAMember() {
        assertThat(check(heartbeat("n1", "n2", Long.MAX_VALUE))).isEqualTo(FrameRejection.TERM_OVERFLOW);
        assertThat(check(heartbeat("n1", "n2", MessageCheck.MAX_TERM))).isNull();
        assertThat(check(ForwardResult.accepted("n1", "n2", 1, 10, Long.MAX_VALUE))).isEqualTo(FrameRejection.INVALID);
    }

    @Test
    void framesForAnotherNodeAreMisaddressed() {
        assertThat(check(heartbeat("n1", "n9", 5))).isEqualTo(FrameRejection.MISADDRESSED);
    }

    @Test
    void onATlsConnectionOnlyTheCertifiedMemberMaySpeak() {
        ConnectionOrigin n1 = new ConnectionOrigin("127.0.0.1:50001", Set.of("n1", "localhost"));
        assertThat(check(heartbeat("n1", "n2", 5), n1)).isNull();
        assertThat(check(heartbeat("n3", "n2", 5), n1)).isEqualTo(FrameRejection.IDENTITY_MISMATCH);
        assertThat(check(new ForwardProposal("n3", "n2", 1, new byte[0]), n1)).isEqualTo(FrameRejection.IDENTITY_MISMATCH);
        ConnectionOrigin client = new ConnectionOrigin("127.0.0.1:50002", Set.of("client"));
        assertThat(check(heartbeat("client", "n2", 5), client)).isEqualTo(FrameRejection.NOT_A_MEMBER);
    }

    @Test
    void idsFromTheWireAreShownShortAndPrintable() {
        String forged = "x".repeat(500) + "\n";
        FrameCheck.Verdict verdict = FrameCheck.check(heartbeat("\u0007bell", "n2", 1), PLAIN, "n2", PEERS);
        assertThat(verdict.detail()).contains("'?bell'");
        verdict = FrameCheck.check(heartbeat(forged, "n2", 1), PLAIN, "n2", PEERS);
        assertThat(verdict.detail()).hasSizeLessThan(200).doesNotContain("\n");
    }
}
