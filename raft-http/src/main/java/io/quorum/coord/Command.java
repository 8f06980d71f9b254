package io.quorum.coord;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A command of the coordination state machine: what one committed log entry asks for.
 *
 * <p>Commands come from two places. Client requests ({@link Put}, {@link Delete}, the session and
 * lock commands) are proposed by whichever node the client reached. Due work ({@link
 * ExpireSessions}, {@link ExpireWaits}, {@link ClearLockDelays}, {@link LeaderChanged}) is
 * proposed only by the leader, when {@link CoordStateMachine#dueWork(long)} says cluster time has
 * passed a deadline or when it has just been elected. Each command travels inside a {@link
 * StampedCommand} that carries the leader's clock; see {@link CommandCodec} for the bytes.
 *
 * <p>Fields are only checked for being encodable here. Whether a key, ttl or wait is acceptable
 * is decided when the command is applied, so that every replica gives the same error for a
 * command that a faulty or older proposer let through.
 */
public sealed interface Command {

    /** {@code expectedVersion} for "no precondition". */
    long ANY_VERSION = -1;
    /** {@code expectedVersion} for "the key must not exist" ({@code If-None-Match: *}). */
    long ABSENT = 0;
    /** Session id meaning "none": session ids are Raft indexes, so never 0. */
    long NO_SESSION = 0;

    /**
     * Writes {@code value} under {@code key}. Like a log entry's payload, {@code value} is owned by
     * the command once it is created: callers do not change it afterwards.
     *
     * @param expectedVersion {@link #ANY_VERSION}, {@link #ABSENT} (create only), or the version
     *     the key must have now ({@code If-Match})
     * @param ephemeralSession the owning session of an ephemeral key, or {@link #NO_SESSION}; a
     *     put replaces the owner (a put without one makes the key persistent)
     * @param fence null, or the lock and token the write is fenced by
     */
    record Put(String key, byte[] value, long expectedVersion, long ephemeralSession, Fence fence)
            implements Command {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p
                    && p.key.equals(key)
                    && Arrays.equals(p.value, value)
                    && p.expectedVersion == expectedVersion
                    && p.ephemeralSession == ephemeralSession
                    && Objects.equals(p.fence, fence);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, Arrays.hashCode(value), expectedVersion, ephemeralSession, fence);
        }

        @Override
        public String toString() {
            return "Put[" + key + ", " + value.length + "B, expectedVersion=" + expectedVersion
                    + ", ephemeralSession=" + ephemeralSession + ", fence=" + fence + "]";
        }
    }

    /** Deletes {@code key}; {@code expectedVersion} and {@code fence} as for {@link Put}. */
    record Delete(String key, long expectedVersion, Fence fence) implements Command {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Opens a session; its id is the index of this entry. */
    record OpenSession(long ttlMillis, long lockDelayMillis) implements Command {}

    /** Renews a session for another ttl from this entry's cluster time. */
    record KeepAlive(long session) implements Command {}

    /** Closes a session: releases its locks (no lockDelay), leaves its queues, deletes its ephemeral keys. */
    record CloseSession(long session) implements Command {}

    /**
     * Leader's due work: these sessions' deadlines have passed. Applying re-checks each deadline
     * against cluster time, so a session renewed after the leader looked is left alone.
     */
    record ExpireSessions(List<Long> sessions) implements Command {
        public ExpireSessions {
            sessions = List.copyOf(sessions);
        }
    }

    /**
     * Acquires {@code key} for {@code session}; when it cannot be granted now, queues the request
     * until cluster time passes this entry's time plus {@code waitMillis} (0: fail at once).
     */
    record Acquire(String key, long session, LockMode mode, long waitMillis) implements Command {
        public Acquire {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** Releases a lock the session holds; no lockDelay follows a release. */
    record Release(String key, long session) implements Command {
        public Release {
            Objects.requireNonNull(key, "key");
        }
    }

    /** The client gave up waiting: withdraws the session's queued request for {@code key}. */
    record CancelWait(String key, long session) implements Command {
        public CancelWait {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Leader's due work: these queued requests' wait deadlines have passed. Applying re-checks
     * each deadline, and ignores requests that were granted or withdrawn meanwhile.
     */
    record ExpireWaits(List<WaitRef> waits) implements Command {
        public ExpireWaits {
            waits = List.copyOf(waits);
        }
    }

    /**
     * Leader's due work: the lockDelay of these locks has passed; grants queued requests at this
     * entry's index (their fencing token) and forgets the delay.
     */
    record ClearLockDelays(List<String> keys) implements Command {
        public ClearLockDelays {
            keys = List.copyOf(keys);
        }
    }

    /**
     * Proposed by a new leader as its first command: every session gets a fresh ttl from this
     * entry's cluster time, so no session expires for a keepalive lost in the failover.
     */
    record LeaderChanged() implements Command {}

    /**
     * A member says where clients reach its HTTP API, so that every node can report every
     * member's {@code httpAddr}; an empty {@code httpAddr} forgets the member (proposed by the
     * leader for a member that left the configuration). Proposed by each node, once it knows a
     * leader, when the replicated address differs from its own.
     */
    record Advertise(String member, String httpAddr) implements Command {
        public Advertise {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(httpAddr, "httpAddr");
        }
    }
}
