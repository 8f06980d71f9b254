/**
 * The coordination state machine: keys (small files), sessions, locks with fencing tokens and
 * FIFO wait queues, and the event history for watches (ARCHITECTURE.md rule 3, API.md).
 *
 * <p>Pure and deterministic: no threads, clocks, randomness, I/O or hash-order iteration. The
 * facade is {@link io.quorum.coord.CoordStateMachine}; everything else public is a value type.
 *
 * <h2>What the node layer does</h2>
 * <ol>
 *   <li><b>Proposing.</b> A handler builds a {@link io.quorum.coord.Command}, the leader wraps it
 *       as {@code new StampedCommand(leaderWallClockMillis, command)} and proposes
 *       {@link io.quorum.coord.CommandCodec#encode} of it as a NORMAL entry. Only the leader
 *       stamps: a follower forwards the bare command and the leader stamps it when it appends.
 *       Size checks (TOO_LARGE) and syntax checks should run before proposing, but the state
 *       machine checks again, so an entry that slipped through gets the same error everywhere.</li>
 *   <li><b>Applying.</b> For each committed NORMAL entry, in order:
 *       {@code Applied a = sm.apply(entry.index(), entry.data())}. The proposer completes its
 *       client's request with {@code a.result()}; {@code a.events()} feed watches and complete
 *       queued lock requests (a {@code lock} event naming the session). NOOP and configuration
 *       entries are skipped: indexes may have gaps but must increase. A payload that does not
 *     decode is answered INVALID_ARGUMENT on every replica; the node does not stop.</li>
 *   <li><b>Becoming leader.</b> Propose {@link io.quorum.coord.Command.LeaderChanged} first, so
 *       every session gets a fresh ttl from the new leader's time (Chubby's grace period).</li>
 *   <li><b>Due work.</b> While leader, on a timer (at {@link io.quorum.coord.CoordStateMachine#nextDeadline()},
 *       or every tick), propose each command of {@code sm.dueWork(now)}, stamped with that
 *       {@code now}: {@link io.quorum.coord.Command.ExpireSessions} for sessions past their
 *       deadline, {@link io.quorum.coord.Command.ExpireWaits} for queued requests past their
 *       wait, {@link io.quorum.coord.Command.ClearLockDelays} for locks whose lockDelay ended
 *       (this grants their queues). Applying re-checks every deadline, so a duplicate or stale
 *       proposal is harmless; avoid re-proposing work that is still in flight. A leader whose
 *     clock is behind the cluster time only delays expiries until it catches up: the safe side.
 *     Sessions are indexed by deadline; waits and lockDelays are found by a scan of the live
 *     locks, which the waiter limit keeps small.</li>
 *   <li><b>Queued lock requests.</b> An {@code Acquire} with a wait may answer
 *       {@link io.quorum.coord.Result.LockQueued}; the request then ends with whichever comes
 *       first in the log: a {@code lock} event for its key and session (200 with the token), its
 *       {@link io.quorum.coord.WaitRef} in a {@link io.quorum.coord.Result.WaitsCancelled}
 *       (409 LOCK_HELD), or its session closing or expiring (404 SESSION_NOT_FOUND). A request
 *       whose deadline has passed can still be granted until its cancellation is applied.</li>
 *   <li><b>Members' HTTP addresses.</b> Each node proposes {@link io.quorum.coord.Command.Advertise}
 *       with its own HTTP address when the replicated one differs; the leader proposes it with an
 *       empty address for a member that left the configuration. {@code sm.memberHttpAddrs()} is
 *       what {@code GET /v1/cluster} reports.</li>
 *   <li><b>Snapshots.</b> {@code sm.snapshot()} is the state at {@code sm.appliedIndex()};
 *       {@code sm.restore(bytes)} installs one. {@code sm.stateHash()} compares replicas at equal
 *       applied indexes.</li>
 * </ol>
 *
 * <p>Session ids and fencing tokens are Raft indexes: a session's id is the index of the entry
 * that opened it, a lock's token the index of the entry that granted it (for a grant from the
 * queue, the entry that freed the lock), so tokens of one lock strictly increase across grants,
 * failovers and restarts. Shared requests granted together by one entry share its token.
 */
package io.quorum.coord;
