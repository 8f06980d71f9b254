package io.quorum.coord;

import java.util.TreeMap;

/**
 * Everything that is replicated: the keys, sessions and locks, the members' HTTP addresses, the index of the last entry
 * applied and the cluster time. Exactly what a snapshot holds and the state hash covers.
 */
final class CoordState {

    final KeyStore keys = new KeyStore();
    final SessionTable sessions = new SessionTable();
    final LockTable locks = new LockTable();
    /** Member id to the HTTP address it advertised ({@link Command.Advertise}), in id order. */
    final TreeMap<String, String> httpAddrs = new TreeMap<>();
    long appliedIndex;
    /** The largest stamp applied so far, in milliseconds. */
    long clusterTime;
}
