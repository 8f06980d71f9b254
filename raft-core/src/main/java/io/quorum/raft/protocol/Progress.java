package io.quorum.raft.protocol;

/**
 * The leader's view of one member's log (§5.3 nextIndex/matchIndex), plus flow control.
 *
 * <ul>
 *   <li>{@link State#PROBE}: the leader does not know where the logs diverge; it sends one append
 *       and waits for the answer (or the next heartbeat answer) before sending another.</li>
 *   <li>{@link State#REPLICATE}: the logs match up to {@code match}; the leader streams appends
 *       optimistically, at most {@code maxInflight} unacknowledged at a time.</li>
 *   <li>{@link State#SNAPSHOT}: the member needs entries the leader has compacted; the leader sends
 *       the snapshot in chunks, one unacknowledged chunk at a time.</li>
 * </ul>
 */
final class Progress {

    enum State {
        PROBE,
        REPLICATE,
        SNAPSHOT
    }

    private State state = State.PROBE;
    private long match;
    private long next;
    private boolean probeSent;
    /** Set by any message from the member; cleared by the leader's check-quorum round. */
    private boolean recentActive;
    private final long[] inflight;
    private int inflightStart;
    private int inflightCount;
    private long pendingSnapshotIndex;
    private long snapshotOffset;
    private boolean snapshotChunkSent;

    Progress(long next, int maxInflight) {
        this.next = next;
        this.inflight = new long[maxInflight];
    }

    State state() {
        return state;
    }

    long match() {
        return match;
    }

    long next() {
        return next;
    }

    boolean recentActive() {
        return recentActive;
    }

    void setRecentActive(boolean active) {
        this.recentActive = active;
    }

    long pendingSnapshotIndex() {
        return pendingSnapshotIndex;
    }

    long snapshotOffset() {
        return snapshotOffset;
    }

    /** Whether the leader must hold further appends to this member until it hears back. */
    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflightCount == inflight.length;
            case SNAPSHOT -> true;
        };
    }

    /** The member confirmed its log matches ours up to index. Returns whether match advanced. */
    boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            probeSent = false;
            updated = true;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /**
     * The member rejected an append at {@code rejected}; {@code probeHint} is where its log may
     * match. Returns false when the rejection is stale (answers an append superseded since).
     */
    boolean maybeDecrease(long rejected, long probeHint) {
        if (state == State.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, probeHint + 1), match + 1);
        probeSent = false;
        return true;
    }

    /** An append carrying entries up to lastIndex was sent. */
    void sentEntries(long lastIndex) {
        if (state == State.REPLICATE) {
            next = lastIndex + 1;
            inflight[(inflightStart + inflightCount) % inflight.length] = lastIndex;
            inflightCount++;
        } else if (state == State.PROBE) {
            probeSent = true;
        }
    }

    /** An append without entries was sent as a probe. */
    void sentProbe() {
        if (state == State.PROBE) {
            probeSent = true;
        }
    }

    /** Acknowledged appends up to index no longer count against the in-flight limit. */
    void freeInflightUpTo(long index) {
        while (inflightCount > 0 && inflight[inflightStart] <= index) {
            inflightStart = (inflightStart + 1) % inflight.length;
            inflightCount--;
        }
    }

    /** A heartbeat answer proves the member is alive: let one more append through (a lost append would otherwise stall a full window). */
    void heartbeatAcknowledged() {
        probeSent = false;
        snapshotChunkSent = false;
        if (state == State.REPLICATE && inflightCount == inflight.length) {
            inflightStart = (inflightStart + 1) % inflight.length;
            inflightCount--;
        }
    }

    void becomeProbe() {
        if (state == State.SNAPSHOT) {
            next = Math.max(match + 1, pendingSnapshotIndex + 1);
            pendingSnapshotIndex = 0;
        } else {
            next = match + 1;
        }
        resetState(State.PROBE);
    }

    void becomeReplicate() {
        next = match + 1;
        resetState(State.REPLICATE);
    }

    void becomeSnapshot(long snapshotIndex) {
        resetState(State.SNAPSHOT);
        pendingSnapshotIndex = snapshotIndex;
        snapshotOffset = 0;
    }

    /** Whether a snapshot chunk may be sent now (none unacknowledged). */
    boolean canSendSnapshotChunk() {
        return state == State.SNAPSHOT && !snapshotChunkSent;
    }

    void snapshotChunkSent() {
        snapshotChunkSent = true;
    }

    /** The member acknowledged chunks up to nextOffset for the snapshot at snapshotIndex. */
    void snapshotChunkAcknowledged(long snapshotIndex, long nextOffset) {
        if (state == State.SNAPSHOT && snapshotIndex == pendingSnapshotIndex) {
            snapshotOffset = nextOffset;
            snapshotChunkSent = false;
        }
    }

    private void resetState(State newState) {
        state = newState;
        probeSent = false;
        snapshotChunkSent = false;
        inflightStart = 0;
        inflightCount = 0;
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next;
    }
}
