package io.quorum.coord.sim;

import io.quorum.coord.Applied;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.KeyView;
import io.quorum.raft.sim.SimStateMachine;

import java.nio.charset.StandardCharsets;

/**
 * {@link CoordStateMachine} as the raft-core simulation sees a state machine: it applies each
 * committed payload, remembers what the last one answered (for the clients and the audit, which
 * read it from the shell observer right after the apply), and reports the first 64 bits of its
 * state hash as the fingerprint the invariant checker compares at equal applied indexes.
 */
final class CoordSimStateMachine implements SimStateMachine {

    private final CoordConfig config;
    private CoordStateMachine sm;
    private Applied lastApplied;
    /** The fingerprint of the current state, or null when it changed since it was computed. */
    private Long fingerprint;

    CoordSimStateMachine(CoordConfig config) {
        this.config = config;
        this.sm = new CoordStateMachine(config);
    }

    /** The state machine itself, for due work and reads. */
    CoordStateMachine coord() {
        return sm;
    }

    /** What the last {@link #apply} answered; null before the first one or after a restore. */
    Applied lastApplied() {
        return lastApplied;
    }

    @Override
    public void apply(long index, byte[] command) {
        lastApplied = sm.apply(index, command);
        fingerprint = null;
    }

    @Override
    public byte[] snapshot() {
        return sm.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        lastApplied = null;
        fingerprint = null;
        if (snapshot.length == 0) {
            sm = new CoordStateMachine(config);
        } else {
            sm.restore(snapshot);
        }
    }

    /** The value of the key named by {@code query}; empty when it is absent. */
    @Override
    public byte[] query(byte[] query) {
        return sm.get(new String(query, StandardCharsets.UTF_8)).map(KeyView::value).orElse(new byte[0]);
    }

    @Override
    public long fingerprint() {
        if (fingerprint == null) {
            fingerprint = Long.parseUnsignedLong(sm.stateHash().substring(0, 16), 16);
        }
        return fingerprint;
    }
}
