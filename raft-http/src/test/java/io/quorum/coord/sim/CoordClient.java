package io.quorum.coord.sim;

import java.util.TreeMap;

/**
 * What one simulated client knows: its session, the locks it believes it holds (with their
 * tokens) and the lock it waits for. It learns only from the answers to its own commands and from
 * the grant of its queued request, as a real client does; so it may go on believing in a lock its
 * expired session lost, and its fenced writes must then be refused.
 */
final class CoordClient {

    final String name;
    /** 0: no session. */
    long session;
    long ttl;
    long lockDelay;
    /** lock key → token, for the locks this client believes it holds. */
    final TreeMap<String, Long> held = new TreeMap<>();
    /** The lock this client's queued request waits for, or null. */
    String waitingFor;
    /** Simulation time until which it waits before cancelling. */
    long waitUntil;
    /** Simulation time until which the client process is stopped (no operations, no keepalives). */
    long pausedUntil;
    boolean opInFlight;
    boolean keepAliveInFlight;
    int writes;

    CoordClient(String name) {
        this.name = name;
    }

    /** The session is gone (closed, expired, or unknown to the cluster): so is everything tied to it. */
    void lostSession() {
        session = 0;
        held.clear();
        waitingFor = null;
    }
}
