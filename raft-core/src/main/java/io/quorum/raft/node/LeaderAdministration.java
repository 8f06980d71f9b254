package io.quorum.raft.node;

import io.quorum.raft.protocol.ConfChange;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.transport.AdminOp;
import io.quorum.raft.transport.AdminStatus;
import io.quorum.raft.transport.PeerMessage;
import io.quorum.raft.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * The leader's side of administration: carries out a membership change or a leadership transfer
 * asked on this node or forwarded by a follower ({@link PeerMessage.ForwardAdmin}), and answers
 * the follower with a {@link PeerMessage.AdminResult} once it is decided. Used on the protocol
 * thread only.
 */
final class LeaderAdministration {

    private final String id;
    private final MembershipAdmin admin;
    private final Transport transport;
    private final LongSupplier deadline;

    /** @param deadline the deadline, in the node's clock, of a transfer started now */
    LeaderAdministration(String id, MembershipAdmin admin, Transport transport, LongSupplier deadline) {
        this.id = id;
        this.admin = admin;
        this.transport = transport;
        this.deadline = deadline;
    }

    /** Carries out {@code op} on this node, which leads. */
    CompletableFuture<Long> carryOut(Raft raft, AdminOp op, String memberId, String address) {
        return switch (op) {
            case ADD_MEMBER -> admin.propose(raft, new ConfChange(ConfChange.Type.ADD_LEARNER, memberId, address));
            case REMOVE_MEMBER -> admin.propose(raft, new ConfChange(ConfChange.Type.REMOVE, memberId, ""));
            case TRANSFER_LEADERSHIP -> admin.transfer(raft, memberId, deadline.getAsLong());
        };
    }

    /** A follower's request: carried out when this node leads, answered once decided. */
    void accept(Raft raft, PeerMessage.ForwardAdmin request) {
        CompletableFuture<Long> outcome;
        if (raft.role() != Role.LEADER) {
            outcome = CompletableFuture.failedFuture(new NodeException(NodeException.Kind.NO_LEADER,
                    id + " does not lead", raft.leader()));
        } else {
            try {
                outcome = carryOut(raft, request.op(), request.memberId(), request.address());
            } catch (IllegalArgumentException e) {
                outcome = CompletableFuture.failedFuture(new NodeException(NodeException.Kind.INVALID, e.getMessage()));
            }
        }
        outcome.whenComplete((value, failure) -> transport.send(result(request, value, failure)));
    }

    private PeerMessage.AdminResult result(PeerMessage.ForwardAdmin request, Long value, Throwable failure) {
        if (failure == null) {
            return new PeerMessage.AdminResult(id, request.from(), request.requestId(),
                    AdminStatus.DONE, value, null, "done");
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        NodeException.Kind kind = cause instanceof NodeException n ? n.kind() : NodeException.Kind.TIMEOUT;
        String hint = cause instanceof NodeException n ? n.leaderHint() : null;
        return new PeerMessage.AdminResult(id, request.from(), request.requestId(), ForwardedRequests.statusOf(kind),
                0, hint, String.valueOf(cause.getMessage()));
    }
}
