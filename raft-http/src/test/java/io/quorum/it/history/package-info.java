/**
 * Histories of client operations on real processes and the checkers that judge them (TESTING.md,
 * "Checkers"): {@link io.quorum.it.history.RegisterChecker} (linearizability per key, through
 * raft-core's {@code LinearizabilityChecker}, with compare-and-set and operations of unknown
 * outcome; a search past its bound is "unknown", never a pass),
 * {@link io.quorum.it.history.LockChecker} (tokens, fenced counter, grants to expired sessions) and
 * {@link io.quorum.it.history.WatchChecker} (order and completeness of a watch).
 */
package io.quorum.it.history;
