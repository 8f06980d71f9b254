package io.quorum.raft.node;

import io.quorum.raft.protocol.ConfChange;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Membership changes and leadership transfer as seen by their callers, on the protocol thread.
 * A change completes when its entry commits. A learner is promoted to voter by whichever node
 * leads once the learner's log has caught up with the commit index, so promotion survives a
 * change of leader.
 */
final class MembershipAdmin {

    private record PendingChange(long index, long term, CompletableFuture<Long> future) {
    }

    private record PendingTransfer(String target, long deadlineNanos, CompletableFuture<Long> future) {
    }

    private final List<PendingChange> changes = new ArrayList<>();
    private PendingTransfer transfer;

    CompletableFuture<Long> propose(Raft raft, ConfChange change) {
        try {
            long index = raft.proposeConfChange(change);
            CompletableFuture<Long> future = new CompletableFuture<>();
            changes.add(new PendingChange(index, raft.term(), future));
            return future;
        } catch (ProposalRejectedException e) {
            return CompletableFuture.failedFuture(RaftNode.rejected(e));
        }
    }

    /** Completes with the term in which {@code target} leads, once this node sees it lead. */
    CompletableFuture<Long> transfer(Raft raft, String target, long deadlineNanos) {
        try {
            raft.transferLeadership(target);
        } catch (ProposalRejectedException e) {
            return CompletableFuture.failedFuture(RaftNode.rejected(e));
        }
        if (target.equals(raft.id())) {
            return CompletableFuture.completedFuture(raft.term());
        }
        if (transfer != null) {
            transfer.future.completeExceptionally(new NodeException(NodeException.Kind.INVALID, "superseded by a transfer to " + target));
        }
        transfer = new PendingTransfer(target, deadlineNanos, new CompletableFuture<>());
        return transfer.future;
    }

    void tick(Raft raft, long nowNanos) {
        settleChanges(raft);
        if (transfer != null && nowNanos - transfer.deadlineNanos >= 0) {
            transfer.future.completeExceptionally(new NodeException(NodeException.Kind.TIMEOUT,
                    "leadership did not move to " + transfer.target + " in time"));
            transfer = null;
        }
        if (raft.role() == Role.LEADER) {
            promoteCaughtUpLearners(raft);
        }
    }

    void leadershipChanged(Raft raft) {
        settleChanges(raft);
        if (transfer != null && transfer.target.equals(raft.leader())) {
            transfer.future.complete(raft.term());
            transfer = null;
        }
    }

    private void settleChanges(Raft raft) {
        for (Iterator<PendingChange> it = changes.iterator(); it.hasNext(); ) {
            PendingChange change = it.next();
            if (raft.commitIndex() < change.index) {
                continue;
            }
            it.remove();
            // A leader never replaces entries of its own term, so while this node still leads in
            // the change's term the committed entry is the change. Otherwise the log tells, unless
            // a snapshot compacted it away meanwhile (termAt is then 0): the outcome is unknown.
            long termThere = raft.role() == Role.LEADER && raft.term() == change.term ? change.term : raft.termAt(change.index);
            if (termThere == change.term) {
                change.future.complete(change.index);
            } else if (termThere == 0) {
                change.future.completeExceptionally(new NodeException(NodeException.Kind.TIMEOUT,
                        "the membership change at " + change.index + " was compacted before its outcome was seen; read the membership"));
            } else {
                change.future.completeExceptionally(new NodeException(NodeException.Kind.NOT_COMMITTED,
                        "the membership change at " + change.index + " was replaced by another leader"));
            }
        }
    }

    private void promoteCaughtUpLearners(Raft raft) {
        RaftStatus status = raft.status();
        for (String learner : status.membership().learners()) {
            Long match = status.matchIndex().get(learner);
            if (match != null && match >= raft.commitIndex()) {
                try {
                    raft.proposeConfChange(new ConfChange(ConfChange.Type.PROMOTE, learner, ""));
                } catch (ProposalRejectedException e) {
                    // Another change is still uncommitted: try again on a later tick.
                }
                return;
            }
        }
    }

    void failAll(NodeException cause) {
        changes.forEach(c -> c.future.completeExceptionally(cause));
        changes.clear();
        if (transfer != null) {
            transfer.future.completeExceptionally(cause);
            transfer = null;
        }
    }
}
