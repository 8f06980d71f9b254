package io.quorum.raft.sim;

/**
 * Simulated clients driving a {@link SimStateMachine} through the protocol, recording what they
 * saw and checking it at the end. It observes every node shell (to learn when its commands were
 * applied and its reads became servable) and is told about crashes, which make outcomes unknown.
 */
public interface SimWorkload extends ShellObserver {

    /** Begins issuing operations against the cluster. */
    void start(SimCluster cluster);

    /** Issues no new operations; those in flight may still complete. */
    void stop();

    /** The node crashed: whatever the clients were waiting for there is lost or unknown. */
    void crashed(String nodeId);

    /** The cluster is live again after healing: issues the closing operations (e.g. a read of every key). */
    void finish(SimCluster cluster);

    /** Whether no operation is waiting for an outcome. */
    boolean idle();

    /** Operations issued so far. */
    long operations();

    /** Checks the recorded history; null when it passes, else why not. */
    String check();
}
