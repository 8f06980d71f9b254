package io.quorum.server;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.raft.node.RaftNode;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the members' HTTP addresses in the replicated state ({@link Command.Advertise}), so that
 * every node can report every member's {@code httpAddr}: {@code --members} carries Raft addresses
 * only. Called on the coordination service's timer thread; each call proposes at most one batch
 * and waits for it before proposing again, so a failed proposal is simply retried on a later call.
 *
 * <ul>
 *   <li>Every member, once it knows a leader and finds itself in the configuration, advertises
 *       its own address when the replicated one differs (first start, a new port, a restore from
 *       a backup taken elsewhere).</li>
 *   <li>The leader forgets the address of a member that is no longer in the configuration.</li>
 * </ul>
 * Rejected alternative: HTTP addresses in the Raft configuration itself, which would change
 * raft-core's membership and wire formats for something the protocol never reads.
 */
final class HttpAddrAdvertiser {

    private final RaftNode<Applied> node;
    private final CoordReplica replica;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    /** This node's HTTP address as clients reach it; null until the API listens. */
    private volatile String httpAddr;

    HttpAddrAdvertiser(RaftNode<Applied> node, CoordReplica replica) {
        this.node = node;
        this.replica = replica;
    }

    void setHttpAddr(String httpAddr) {
        this.httpAddr = httpAddr;
    }

    /** Proposes what is missing or stale, if nothing this class proposed is still in flight. */
    void run() {
        RaftStatus s = node.status();
        if (s == null || s.leader() == null || inFlight.get()) {
            return;
        }
        SortedMap<String, String> replicated = replica.read(m -> m.memberHttpAddrs());
        List<Command> commands = new ArrayList<>();
        String own = httpAddr;
        if (own != null && s.membership().contains(s.id()) && !own.equals(replicated.get(s.id()))) {
            commands.add(new Command.Advertise(s.id(), own));
        }
        if (s.role() == Role.LEADER) {
            for (Map.Entry<String, String> e : replicated.entrySet()) {
                if (!s.membership().contains(e.getKey())) {
                    commands.add(new Command.Advertise(e.getKey(), ""));
                }
            }
        }
        if (commands.isEmpty()) {
            return;
        }
        inFlight.set(true);
        CompletableFuture<?>[] proposals = commands.stream()
                .map(c -> node.propose(CoordReplica.payloadOf(c)))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(proposals).whenComplete((ok, failure) -> inFlight.set(false));
    }
}
