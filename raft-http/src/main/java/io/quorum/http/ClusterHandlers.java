package io.quorum.http;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import io.quorum.server.CoordinationService;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/cluster}, {@code /health}, {@code /ready}: what operators and load balancers ask.
 * Changing the cluster is {@link MembershipHandlers}.
 */
final class ClusterHandlers {

    private final CoordinationService service;
    private final String httpAddr;

    /** @param httpAddr this node's configured HTTP address, reported until its advertised one is applied */
    ClusterHandlers(CoordinationService service, String httpAddr) {
        this.service = service;
        this.httpAddr = httpAddr;
    }

    /**
     * {@code GET /v1/cluster}: this node's view of the members, from its latest Raft status; HTTP
     * addresses as the members advertised them in the replicated state (this node's own always).
     */
    void cluster(RoutingContext ctx) {
        service.memberHttpAddrs().onFailure(ctx::fail).onSuccess(httpAddrs -> {
            RaftStatus s = service.status();
            Membership membership = s.membership();
            List<Member> members = new ArrayList<>();
            for (String id : membership.members()) {
                members.add(new Member(id, membership.addresses().get(id),
                        id.equals(s.id()) ? httpAddrs.getOrDefault(id, httpAddr) : httpAddrs.get(id),
                        roleOf(id, s), membership.isVoter(id), s.matchIndex().get(id)));
            }
            JsonResponses.send(ctx, 200, new Cluster(s.id(), s.leader(), s.term(), s.commitIndex(),
                    service.appliedIndex(), members));
        });
    }

    /**
     * A member's role as this node knows it: its own exactly; the leader's; learners; any other
     * voter is reported as a follower (a remote candidate is not visible from here).
     */
    private static String roleOf(String id, RaftStatus s) {
        if (s.membership().isLearner(id)) {
            return "learner";
        }
        if (id.equals(s.id())) {
            return s.role() == Role.LEADER ? "leader" : s.role() == Role.FOLLOWER ? "follower" : "candidate";
        }
        return id.equals(s.leader()) ? "leader" : "follower";
    }

    /** {@code GET /health}: 200 while the process serves. */
    void health(RoutingContext ctx) {
        JsonResponses.send(ctx, 200, new Health("ok"));
    }

    /** {@code GET /ready}: 200 once a leader is known and this node applied what it knew to be committed. */
    void ready(RoutingContext ctx) {
        RaftStatus s = service.status();
        if (s.leader() == null) {
            throw new ApiException(503, "NO_LEADER", "no leader is known", ErrorMapping.RETRY_AFTER_SECONDS);
        }
        long applied = service.appliedIndex();
        if (applied < s.commitIndex()) {
            throw new ApiException(503, "UNAVAILABLE", "applied " + applied + " of " + s.commitIndex() + " committed entries",
                    ErrorMapping.RETRY_AFTER_SECONDS);
        }
        JsonResponses.send(ctx, 200, new Ready(true, s.leader(), applied));
    }

    record Member(String id, String raftAddr, String httpAddr, String role, boolean voter, Long matchIndex) {}

    record Cluster(String id, String leader, long term, long commitIndex, long appliedIndex, List<Member> members) {}

    record Health(String status) {}

    record Ready(boolean ready, String leader, long appliedIndex) {}
}
