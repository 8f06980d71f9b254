package io.quorum.raft.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The leader's pending linearizable reads (thesis §6.4). Reads that arrive while a confirmation
 * round is in flight wait for the next round, which starts when the current one completes: a round
 * that began before a read arrived cannot prove leadership at a moment after the read arrived.
 * So every read costs at most two rounds, and all reads waiting together share one heartbeat round.
 */
final class ReadIndexRounds {

    /** A read waiting for confirmation; {@code requester} is this node's id or a follower's. */
    record PendingRead(long requestId, String requester) {
    }

    private long nextContext = 1;
    private long roundContext;
    private long roundIndex;
    private final Set<String> roundAcks = new HashSet<>();
    private List<PendingRead> roundReads = new ArrayList<>();
    private List<PendingRead> waiting = new ArrayList<>();

    /** The context of the round in flight, 0 when none. */
    long inFlightContext() {
        return roundContext;
    }

    void add(PendingRead read) {
        waiting.add(read);
    }

    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /**
     * Starts a round for every waiting read if none is in flight.
     *
     * @return the new round's context, or 0 when no round was started
     */
    long maybeStartRound(long commitIndex, String self) {
        if (roundContext != 0 || waiting.isEmpty()) {
            return 0;
        }
        roundContext = nextContext++;
        roundIndex = commitIndex;
        roundReads = waiting;
        waiting = new ArrayList<>();
        roundAcks.clear();
        roundAcks.add(self);
        return roundContext;
    }

    /**
     * Records that {@code member} answered a heartbeat carrying {@code context}.
     *
     * @return the reads released by reaching a quorum of the given voters, with the round's read index
     */
    List<PendingRead> acknowledge(String member, long context, Membership membership) {
        if (roundContext == 0 || context < roundContext) {
            return List.of();
        }
        roundAcks.add(member);
        long voterAcks = roundAcks.stream().filter(membership::isVoter).count();
        if (voterAcks < membership.quorum()) {
            return List.of();
        }
        List<PendingRead> released = roundReads;
        roundReads = new ArrayList<>();
        roundContext = 0;
        return released;
    }

    /** The read index of the round just completed by {@link #acknowledge}. */
    long completedRoundIndex() {
        return roundIndex;
    }

    /** Leadership is lost: every pending read is abandoned (their requesters time out and retry). */
    void clear() {
        roundContext = 0;
        roundReads = new ArrayList<>();
        waiting = new ArrayList<>();
        roundAcks.clear();
    }
}
