package io.quorum.server;

/** How fresh a read must be (API.md: {@code ?consistency=}). */
public enum Consistency {
    /** The default: reflects every write acknowledged before the read began (ReadIndex, ARCHITECTURE.md rule 4). */
    LINEARIZABLE,
    /** This node's replica as it is now; may lag the leader, never blocks on the cluster. */
    STALE
}
