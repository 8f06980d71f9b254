/**
 * Faults of the peer links without root rights: a {@link io.quorum.it.nemesis.FaultProxy} in front
 * of each node's Raft transport (the node listens on {@code --raft-listen-addr}, its peers dial the
 * proxy at its member address), and a {@link io.quorum.it.nemesis.Network} of one rule per
 * directed link, from which partitions of any shape are made: halves, an isolated node, a bridge,
 * a ring, one-way cuts, delays.
 */
package io.quorum.it.nemesis;
