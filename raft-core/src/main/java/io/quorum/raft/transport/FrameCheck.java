package io.quorum.raft.transport;

import io.quorum.raft.protocol.MessageCheck;
import io.quorum.raft.transport.PeerMessage.AdminResult;
import io.quorum.raft.transport.PeerMessage.ForwardResult;
import io.quorum.raft.transport.PeerMessage.RaftFrame;
import java.util.Set;

/**
 * Decides whether a decoded frame may reach the node: the checks every frame passes, in this
 * order, whatever transport carried it (ARCHITECTURE rule 9, only members speak Raft):
 * <ol>
 *   <li>both ids present ({@link FrameRejection#MISSING_ID});</li>
 *   <li>addressed to this node ({@link FrameRejection#MISADDRESSED});</li>
 *   <li>on a TLS connection, sent by the member its certificate names ({@link FrameRejection#IDENTITY_MISMATCH});</li>
 *   <li>sent by a peer of this node: a member of the configuration it knows, a node being added,
 *       or, while it joins, a member it was told of ({@link FrameRejection#NOT_A_MEMBER}). This
 *       covers the forwarding frames too: a stranger cannot have the leader propose or change
 *       the membership for it;</li>
 *   <li>for protocol messages, {@link MessageCheck}: a term that cannot overflow
 *       ({@link FrameRejection#TERM_OVERFLOW}) and numbers a log can have ({@link FrameRejection#INVALID}).</li>
 * </ol>
 * The peer set is what the node also sends to ({@link Transport#setPeers}), so a node accepts
 * frames from exactly the ids it would answer. Pure: no state, no I/O.
 */
final class FrameCheck {

    /** A refusal and what exactly was wrong, for the log. */
    record Verdict(FrameRejection reason, String detail) {
    }

    private FrameCheck() {
    }

    /** Null when {@code message} may be delivered to the node {@code nodeId} whose peers are {@code peers}. */
    static Verdict check(PeerMessage message, ConnectionOrigin origin, String nodeId, Set<String> peers) {
        String from = message.from();
        String to = message.to();
        if (from == null || from.isEmpty() || to == null || to.isEmpty()) {
            return new Verdict(FrameRejection.MISSING_ID, kind(message) + " without a sender or receiver id");
        }
        if (!to.equals(nodeId)) {
            return new Verdict(FrameRejection.MISADDRESSED, kind(message) + " for " + quoted(to) + ", not " + nodeId);
        }
        if (!origin.maySpeakFor(from)) {
            return new Verdict(FrameRejection.IDENTITY_MISMATCH, kind(message) + " claims to come from " + quoted(from)
                    + " on a connection whose certificate names " + origin.certifiedNames());
        }
        if (!peers.contains(from)) {
            return new Verdict(FrameRejection.NOT_A_MEMBER, kind(message) + " from " + quoted(from)
                    + ", who is not a member");
        }
        return contentProblem(message);
    }

    private static Verdict contentProblem(PeerMessage message) {
        if (message instanceof RaftFrame frame) {
            MessageCheck.Violation violation = MessageCheck.problem(frame.message());
            if (violation == null) {
                return null;
            }
            FrameRejection reason = violation.problem() == MessageCheck.Problem.TERM_OUT_OF_RANGE
                    ? FrameRejection.TERM_OVERFLOW : FrameRejection.INVALID;
            return new Verdict(reason, kind(message) + ": " + violation.detail());
        }
        if (message instanceof ForwardResult r && (r.index() < 0 || !MessageCheck.validTerm(r.term()))) {
            return new Verdict(FrameRejection.INVALID, "ForwardResult at " + r.index() + "/" + r.term());
        }
        if (message instanceof AdminResult r && r.value() < 0) {
            return new Verdict(FrameRejection.INVALID, "AdminResult with value " + r.value());
        }
        return null;
    }

    private static String kind(PeerMessage message) {
        return message instanceof RaftFrame frame
                ? frame.message().getClass().getSimpleName()
                : message.getClass().getSimpleName();
    }

    /** An id from the wire, quoted and cut short: it may be anything a stranger chose. */
    private static String quoted(String id) {
        String shown = id.length() > 64 ? id.substring(0, 64) + "…" : id;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
