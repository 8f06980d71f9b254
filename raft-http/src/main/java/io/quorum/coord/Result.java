package io.quorum.coord;

import java.util.List;
import java.util.Objects;

/**
 * What applying one command answered. Every replica computes the same result for the same entry;
 * the node that proposed it hands it to the waiting client. The ok records carry the fields of
 * the API's responses (API.md); {@link Failure} carries an API error code.
 */
public sealed interface Result {

    /** A put: {@code {"key","version","createIndex","modIndex"}}. */
    record KeyWritten(String key, long version, long createIndex, long modIndex) implements Result {}

    /** A delete: {@code {"deleted","index"}}. */
    record KeyDeleted(boolean deleted, long index) implements Result {}

    /** A session was opened; its id is the index of the entry that opened it. */
    record SessionOpened(long session, long ttlMillis, long lockDelayMillis) implements Result {}

    /** A keepalive: the session now expires {@code expiresInMs} after this entry's cluster time. */
    record SessionRenewed(long session, long ttlMillis, long expiresInMs) implements Result {}

    /** A session was closed. */
    record SessionClosed(long session) implements Result {}

    /** The sessions that {@code ExpireSessions} did expire (the others had been renewed or ended). */
    record SessionsExpired(List<Long> sessions) implements Result {
        public SessionsExpired {
            sessions = List.copyOf(sessions);
        }
    }

    /** The lock is held by the session with this fencing token (now, or already: re-acquire). */
    record LockGranted(String key, LockMode mode, long session, long token) implements Result {}

    /**
     * The request waits in the lock's queue at {@code position} (0 = next) until cluster time
     * {@code deadline}; its grant will be a {@code lock} event, its end an {@link WaitsCancelled}.
     */
    record LockQueued(String key, LockMode mode, long session, int position, long deadline) implements Result {}

    /** A release: {@code {"released"}}; false when the session did not hold the lock. */
    record LockReleased(boolean released) implements Result {}

    /** The queued requests that a cancel or a wait expiry removed; each now answers LOCK_HELD. */
    record WaitsCancelled(List<WaitRef> waits) implements Result {
        public WaitsCancelled {
            waits = List.copyOf(waits);
        }
    }

    /** The locks whose lockDelay ended with this entry. */
    record LockDelaysCleared(List<String> keys) implements Result {
        public LockDelaysCleared {
            keys = List.copyOf(keys);
        }
    }

    /** A new leader's grace: how many sessions got a fresh ttl. */
    record SessionsRenewed(int sessions) implements Result {}

    /** A member's HTTP address is now {@code httpAddr} (empty: forgotten). */
    record MemberAdvertised(String member, String httpAddr) implements Result {}

    /**
     * The command changed nothing and failed with {@code code}. {@code holders} lists the current
     * holders for LOCK_HELD (the API answers 409 "with the holders") and is empty otherwise.
     */
    record Failure(ErrorCode code, String message, List<LockView.Holder> holders) implements Result {
        public Failure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            holders = List.copyOf(holders);
        }

        static Failure of(ErrorCode code, String message) {
            return new Failure(code, message, List.of());
        }

        /** An expired or closed session is absent too: the client must open a new one. */
        static Failure sessionNotFound(long session) {
            return of(ErrorCode.SESSION_NOT_FOUND, "no session " + session + " (it never existed, was closed or expired)");
        }
    }
}
