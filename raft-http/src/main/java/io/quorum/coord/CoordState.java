package io.quorum.coord;

/**
 * Everything that is replicated: the keys, sessions and locks, the index of the last entry
 * applied and the cluster time. Exactly what a snapshot holds and the state hash covers.
 */
final class CoordState {

    final KeyStore keys = new KeyStore();
    final SessionTable sessions = new SessionTable();
    final LockTable locks = new LockTable();
    long appliedIndex;
    /** The largest stamp applied so far, in milliseconds. */
    long clusterTime;
}
