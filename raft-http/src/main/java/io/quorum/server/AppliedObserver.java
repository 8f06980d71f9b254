package io.quorum.server;

import io.quorum.coord.Applied;

/**
 * Told by {@link CoordReplica} of every entry it applied and every snapshot it installed, on the
 * node's apply thread while the replica's lock is held: implementations must return at once.
 * Metrics use it to count what the replicated commands did (io.quorum.metrics).
 */
public interface AppliedObserver {

    /** Ignores everything. */
    AppliedObserver NONE = new AppliedObserver() {
        @Override
        public void applied(Applied applied, long clusterTimeMillis) {}

        @Override
        public void restored() {}
    };

    /** {@code applied} was applied; {@code clusterTimeMillis} is the state's cluster time after it. */
    void applied(Applied applied, long clusterTimeMillis);

    /** A snapshot replaced the state: whatever was learned from earlier entries no longer holds. */
    void restored();
}
