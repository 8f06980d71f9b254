package io.quorum.raft.sim;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.ReadState;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.protocol.SnapshotMeta;

/**
 * What a {@link NodeShell} reports while it carries out Readys, for invariant checkers, clients
 * and transcripts. Called on the thread that drives the shell, at the moment each thing happens.
 */
public interface ShellObserver {

    /** The Ready's snapshot, entries and hard state (as far as {@code entriesWritten}) are durable. */
    default void persisted(NodeShell node, Ready ready, int entriesWritten, boolean hardStateWritten) {
    }

    /** A committed entry was applied; {@code fingerprint} is the state machine after it. */
    default void applied(NodeShell node, Entry entry, long fingerprint) {
    }

    /** The state machine was replaced by a snapshot received from the leader. */
    default void restored(NodeShell node, SnapshotMeta meta, long fingerprint) {
    }

    /** A ReadIndex answer is servable: the node has applied at least {@code state.index()}. */
    default void readServable(NodeShell node, ReadState state) {
    }

    /** A Ready was acknowledged with advance(). */
    default void advanced(NodeShell node, Ready ready) {
    }
}
