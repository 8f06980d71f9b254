package io.quorum.coord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The open sessions by id, each with its deadline in cluster time and the keys it is tied to.
 * The three key sets are indexes kept in step with {@link KeyStore} and {@link LockTable} by the
 * command classes, so that ending a session touches only what it owns; a snapshot does not store
 * them, restore rebuilds them.
 */
final class SessionTable {

    static final class Session {
        final long id;
        final long ttlMillis;
        final long lockDelayMillis;
        long deadline;
        final TreeSet<String> heldLocks = new TreeSet<>();
        final TreeSet<String> waitingLocks = new TreeSet<>();
        final TreeSet<String> ephemeralKeys = new TreeSet<>();

        Session(long id, long ttlMillis, long lockDelayMillis, long deadline) {
            this.id = id;
            this.ttlMillis = ttlMillis;
            this.lockDelayMillis = lockDelayMillis;
            this.deadline = deadline;
        }

        SessionView view() {
            return new SessionView(id, ttlMillis, lockDelayMillis, deadline,
                    new ArrayList<>(heldLocks), new ArrayList<>(waitingLocks), new ArrayList<>(ephemeralKeys));
        }
    }

    private final TreeMap<Long, Session> sessions = new TreeMap<>();

    Session get(long id) {
        return sessions.get(id);
    }

    Session open(long id, long ttlMillis, long lockDelayMillis, long deadline) {
        Session s = new Session(id, ttlMillis, lockDelayMillis, deadline);
        sessions.put(id, s);
        return s;
    }

    void remove(long id) {
        sessions.remove(id);
    }

    int size() {
        return sessions.size();
    }

    /** In id order. */
    Collection<Session> all() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    /** Sessions whose deadline is at or before {@code now}, in id order. */
    List<Long> dueAt(long now) {
        List<Long> due = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.deadline <= now) {
                due.add(s.id);
            }
        }
        return due;
    }
}
