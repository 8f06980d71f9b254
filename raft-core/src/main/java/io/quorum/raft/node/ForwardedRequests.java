package io.quorum.raft.node;

import io.quorum.raft.transport.AdminOp;
import io.quorum.raft.transport.AdminStatus;
import io.quorum.raft.transport.PeerMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What this node has forwarded to a leader and not yet heard back about: proposals
 * ({@link PeerMessage.ForwardProposal}) and administrators' requests ({@link PeerMessage.ForwardAdmin}),
 * each with the leader and term it was sent to.
 *
 * <p>Why the leader is remembered: a forward travels one way and its answer another; when the
 * leader dies or steps down before answering, no answer ever comes. When this node learns of
 * another leader or a new term, {@link #leaderMoved} gives back every forward still waiting on
 * an older one, so that its caller learns at once instead of at the request timeout. The old
 * leader may have appended the command before it fell, so such a proposal fails as
 * {@link NodeException.Kind#TIMEOUT} (outcome unknown, HTTP 504), never as retry-safe; the
 * transport cannot tell whether a message was delivered, so nothing is dispatched again (that
 * could apply a command twice). A proposal the leader already accepted is not here any more:
 * {@link PendingProposals} decides it by what applies at its index.
 *
 * <p>Confined to the protocol thread, except {@link #failAll} after that thread is gone.
 */
final class ForwardedRequests {

    private record Sent(String leader, long term) {
        boolean sameAs(String otherLeader, long otherTerm) {
            return term == otherTerm && Objects.equals(leader, otherLeader);
        }
    }

    private record AdminWait(Sent sent, AdminOp op, String target, long deadlineNanos, CompletableFuture<Long> future) {
    }

    private final Map<Long, Sent> proposals = new HashMap<>();
    private final Map<Long, AdminWait> admin = new HashMap<>();
    private long nextAdminRequestId = 1;

    /** Proposal {@code requestId} went to {@code leader}, the leader of {@code term} as this node knows. */
    void proposalSent(long requestId, String leader, long term) {
        proposals.put(requestId, new Sent(leader, term));
    }

    /** The leader answered proposal {@code requestId}, or it was decided otherwise. */
    void proposalAnswered(long requestId) {
        proposals.remove(requestId);
    }

    /**
     * Registers an administrator's request to be forwarded to {@code leader}.
     *
     * @return the request id to send it under
     */
    long adminSent(String leader, long term, AdminOp op, String target, long deadlineNanos, CompletableFuture<Long> future) {
        long requestId = nextAdminRequestId++;
        admin.put(requestId, new AdminWait(new Sent(leader, term), op, target, deadlineNanos, future));
        return requestId;
    }

    /** The leader decided an administrator's request: completes or fails its caller. */
    void adminAnswered(PeerMessage.AdminResult result) {
        AdminWait wait = admin.remove(result.requestId());
        if (wait == null) {
            return;
        }
        if (result.status() == AdminStatus.DONE) {
            wait.future.complete(result.value());
        } else {
            wait.future.completeExceptionally(new NodeException(kindOf(result.status()),
                    "the leader " + result.from() + " answered: " + result.message(), result.leaderHint()));
        }
    }

    /**
     * This node now knows {@code leader} (null: none) in {@code term}. Settles every admin request
     * sent to another leader or term: a transfer is done when its target leads, and waits through
     * the election it starts (no leader known); any other's outcome is unknown. Returns the proposals that were waiting on another leader or term; the caller
     * fails them.
     */
    List<Long> leaderMoved(String leader, long term) {
        List<Long> orphaned = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Sent>> it = proposals.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Sent> e = it.next();
            if (!e.getValue().sameAs(leader, term)) {
                orphaned.add(e.getKey());
                it.remove();
            }
        }
        for (Iterator<AdminWait> it = admin.values().iterator(); it.hasNext(); ) {
            AdminWait wait = it.next();
            if (wait.sent.sameAs(leader, term)) {
                continue;
            }
            boolean transfer = wait.op == AdminOp.TRANSFER_LEADERSHIP;
            if (transfer && leader == null) {
                // The election the transfer starts: wait for its winner.
                continue;
            }
            it.remove();
            if (transfer && wait.target.equals(leader)) {
                wait.future.complete(term);
            } else if (transfer) {
                wait.future.completeExceptionally(new NodeException(NodeException.Kind.TIMEOUT,
                        leader + " leads in term " + term + ", not " + wait.target + "; ask again", leader));
            } else {
                wait.future.completeExceptionally(new NodeException(NodeException.Kind.TIMEOUT,
                        "the leader " + wait.sent.leader + " of term " + wait.sent.term + " was replaced (now "
                                + leader + " in term " + term + ") before it answered; the change may still take effect:"
                                + " read the membership"));
            }
        }
        return orphaned;
    }

    /**
     * Fails admin requests whose deadline passed, and forgets proposals the node has already
     * decided ({@code stillPending} is false for them: expired, failed or completed).
     */
    void expire(long nowNanos, java.util.function.LongPredicate stillPending) {
        proposals.keySet().removeIf(requestId -> !stillPending.test(requestId));
        for (Iterator<AdminWait> it = admin.values().iterator(); it.hasNext(); ) {
            AdminWait wait = it.next();
            if (nowNanos - wait.deadlineNanos >= 0) {
                it.remove();
                wait.future.completeExceptionally(new NodeException(NodeException.Kind.TIMEOUT,
                        "the leader " + wait.sent.leader + " did not answer within the request timeout"));
            }
        }
    }

    int proposalsWaiting() {
        return proposals.size();
    }

    void failAll(NodeException cause) {
        proposals.clear();
        List<AdminWait> waits = new ArrayList<>(admin.values());
        admin.clear();
        waits.forEach(w -> w.future.completeExceptionally(cause));
    }

    private static NodeException.Kind kindOf(AdminStatus status) {
        return switch (status) {
            case NO_LEADER -> NodeException.Kind.NO_LEADER;
            case CHANGE_IN_PROGRESS -> NodeException.Kind.OVERLOADED;
            case NOT_COMMITTED -> NodeException.Kind.NOT_COMMITTED;
            case INVALID -> NodeException.Kind.INVALID;
            case STOPPED -> NodeException.Kind.STOPPED;
            case TIMEOUT, DONE -> NodeException.Kind.TIMEOUT;
        };
    }

    /** The status a leader answers for its own failure {@code kind}. */
    static AdminStatus statusOf(NodeException.Kind kind) {
        return switch (kind) {
            case NO_LEADER -> AdminStatus.NO_LEADER;
            case OVERLOADED -> AdminStatus.CHANGE_IN_PROGRESS;
            case NOT_COMMITTED -> AdminStatus.NOT_COMMITTED;
            case INVALID -> AdminStatus.INVALID;
            case STOPPED -> AdminStatus.STOPPED;
            case TIMEOUT -> AdminStatus.TIMEOUT;
        };
    }
}
