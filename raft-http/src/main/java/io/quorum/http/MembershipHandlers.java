package io.quorum.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorum.raft.node.NodeException;
import io.quorum.raft.protocol.Membership;
import io.quorum.server.CoordinationService;
import io.quorum.server.MemberSyntax;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /v1/cluster/members}, {@code DELETE /v1/cluster/members/{id}} and
 * {@code POST /v1/cluster/leader}: changing the cluster (API.md, "Cluster and operations"). Any
 * node answers: a follower hands the request to the leader over the peer transport
 * ({@code RaftNode#addMember}).
 *
 * <p>Each request is checked before anything is proposed: the body's shape, the id's syntax
 * ({@link MemberSyntax}, as for {@code --members}), the address, then the configuration read after
 * a read barrier, so that a change acknowledged before the request is seen: an unknown member is
 * 404 NOT_FOUND, an id already a member 409 MEMBER_EXISTS, an address another member has 409
 * ADDRESS_IN_USE, a transfer to a learner 400. A change while another is still being committed
 * (including the automatic promotion of a caught-up learner) is refused with 409
 * CHANGE_IN_PROGRESS and {@code Retry-After}: nothing was proposed. A change the leader took but
 * whose outcome it could not report (the leader changed meanwhile) is 504 TIMEOUT: read
 * {@code GET /v1/cluster} to learn it.
 */
final class MembershipHandlers {

    private static final Set<String> ADD_FIELDS = Set.of("id", "raftAddr");
    private static final Set<String> TRANSFER_FIELDS = Set.of("to");

    private final CoordinationService service;

    MembershipHandlers(CoordinationService service) {
        this.service = service;
    }

    /** {@code POST /v1/cluster/members {"id","raftAddr"}}: 200 {@code {"id","raftAddr","index"}} once the learner is added. */
    void add(RoutingContext ctx) {
        ObjectNode body = JsonResponses.bodyObject(ctx);
        onlyFields(body, ADD_FIELDS, "a new member takes id and raftAddr");
        String id = memberId(text(body, "id"));
        String raftAddr = raftAddress(text(body, "raftAddr"));
        currentMembership()
                .compose(m -> {
                    if (m.contains(id)) {
                        throw new ApiException(409, "MEMBER_EXISTS", id + " is already a member ("
                                + (m.isVoter(id) ? "voter" : "learner") + " at " + m.addresses().get(id) + ")");
                    }
                    if (m.addresses().containsValue(raftAddr)) {
                        throw new ApiException(409, "ADDRESS_IN_USE", "another member has raft address " + raftAddr);
                    }
                    return service.addMember(id, raftAddr).recover(MembershipHandlers::changeFailed);
                })
                .onSuccess(index -> JsonResponses.send(ctx, 200, new Added(id, raftAddr, index)))
                .onFailure(ctx::fail);
    }

    /** {@code DELETE /v1/cluster/members/{id}}: 200 {@code {"removed","index"}} once the removal commits. */
    void remove(RoutingContext ctx) {
        String id = memberId(ctx.pathParam("id"));
        currentMembership()
                .compose(m -> {
                    if (!m.contains(id)) {
                        throw notFound(id, m);
                    }
                    return service.removeMember(id).recover(MembershipHandlers::changeFailed);
                })
                .onSuccess(index -> JsonResponses.send(ctx, 200, new Removed(id, index)))
                .onFailure(ctx::fail);
    }

    /** {@code POST /v1/cluster/leader {"to"}}: 200 {@code {"leader","term"}} once {@code to} leads. */
    void transferLeader(RoutingContext ctx) {
        ObjectNode body = JsonResponses.bodyObject(ctx);
        onlyFields(body, TRANSFER_FIELDS, "a leadership transfer takes to");
        String to = memberId(text(body, "to"));
        currentMembership()
                .compose(m -> {
                    if (!m.contains(to)) {
                        throw notFound(to, m);
                    }
                    if (!m.isVoter(to)) {
                        throw ApiException.invalid(to + " is a learner: only a voter can lead");
                    }
                    return service.transferLeadership(to).recover(MembershipHandlers::changeFailed);
                })
                .onSuccess(term -> JsonResponses.send(ctx, 200, new Transferred(to, term)))
                .onFailure(ctx::fail);
    }

    private Future<Membership> currentMembership() {
        return service.membership().recover(t -> Future.failedFuture(ErrorMapping.forRead(t)));
    }

    private static ApiException notFound(String id, Membership m) {
        return new ApiException(404, "NOT_FOUND", "no member " + id + "; the members are " + m.members());
    }

    /** OVERLOADED from a membership change means another change is still uncommitted. */
    private static <T> Future<T> changeFailed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NodeException e && e.kind() == NodeException.Kind.OVERLOADED) {
            return Future.failedFuture(new ApiException(409, "CHANGE_IN_PROGRESS",
                    "another membership change is in progress; retry: " + e.getMessage(), ErrorMapping.RETRY_AFTER_SECONDS));
        }
        return Future.failedFuture(ErrorMapping.of(cause));
    }

    private static void onlyFields(ObjectNode body, Set<String> allowed, String what) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.invalid("unknown field '" + name + "': " + what);
            }
        }
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.invalid("\"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("\"" + field + "\" must be a string: " + value);
        }
        return value.asText();
    }

    private static String memberId(String id) {
        String problem = MemberSyntax.idProblem(id);
        if (problem != null) {
            throw ApiException.invalid(problem);
        }
        return id;
    }

    private static String raftAddress(String text) {
        try {
            return MemberSyntax.raftAddress(text).toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("raftAddr: " + e.getMessage());
        }
    }

    record Added(String id, String raftAddr, long index) {}

    record Removed(String removed, long index) {}

    record Transferred(String leader, long term) {}
}
