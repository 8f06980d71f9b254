package io.quorum.coord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
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
        private long deadline;
        final TreeSet<String> heldLocks = new TreeSet<>();
        final TreeSet<String> waitingLocks = new TreeSet<>();
        final TreeSet<String> ephemeralKeys = new TreeSet<>();

        Session(long id, long ttlMillis, long lockDelayMillis, long deadline) {
            this.id = id;
            this.ttlMillis = ttlMillis;
            this.lockDelayMillis = lockDelayMillis;
            this.deadline = deadline;
        }

        long deadline() {
            return deadline;
        }

        SessionView view() {
            return new SessionView(id, ttlMillis, lockDelayMillis, deadline,
                    new ArrayList<>(heldLocks), new ArrayList<>(waitingLocks), new ArrayList<>(ephemeralKeys));
        }
    }

    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    /** (deadline, id) of every session, so the leader's due-work query reads only what is due. */
    private final TreeSet<long[]> byDeadline = new TreeSet<>(
            Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));

    Session get(long id) {
        return sessions.get(id);
    }

    Session open(long id, long ttlMillis, long lockDelayMillis, long deadline) {
        Session s = new Session(id, ttlMillis, lockDelayMillis, deadline);
        sessions.put(id, s);
        byDeadline.add(new long[] {deadline, id});
        return s;
    }

    void setDeadline(Session s, long deadline) {
        byDeadline.remove(new long[] {s.deadline, s.id});
        s.deadline = deadline;
        byDeadline.add(new long[] {deadline, s.id});
    }

    void remove(long id) {
        Session s = sessions.remove(id);
        if (s != null) {
            byDeadline.remove(new long[] {s.deadline, id});
        }
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
        for (long[] e : byDeadline.headSet(new long[] {now, Long.MAX_VALUE}, true)) {
            due.add(e[1]);
        }
        Collections.sort(due);
        return due;
    }

    /** The earliest session deadline, or {@code Long.MAX_VALUE} when there are no sessions. */
    long earliestDeadline() {
        return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.first()[0];
    }
}
