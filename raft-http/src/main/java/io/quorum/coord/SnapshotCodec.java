package io.quorum.coord;

import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of a snapshot of {@link CoordState}: the same state always gives the same bytes, so
 * their SHA-256 is the state hash that replicas compare.
 *
 * <pre>
 *   snapshot = magic 'Q' 'S', format version 0x02, appliedIndex, clusterTime,
 *              key count,     (key, value, version, createIndex, modIndex, owner)…   in key order
 *              session count, (id, ttlMillis, lockDelayMillis, deadline)…            in id order
 *              lock count,    (key, mode code or -1, delayUntil,
 *                              holder count, (session, token)… in grant order,
 *                              waiter count, (session, mode code, deadline)… in arrival order) in key order,
 *              member count,  (member id, httpAddr)…                               in id order
 * </pre>
 *
 * Version 1 is version 2 without the members' addresses (read as none); this build writes 2, so
 * a node of an older build refuses its snapshots rather than drop the addresses.
 *
 * Numbers and strings as in {@link WireWriter}. The sessions' key sets are indexes, not state:
 * {@link #read} rebuilds them, and rejects a snapshot whose owners, holders or waiters name a
 * session it does not contain.
 */
final class SnapshotCodec {

    private static final int MAGIC_1 = 'Q', MAGIC_2 = 'S', FORMAT_VERSION = 2, WITHOUT_MEMBERS = 1;

    private SnapshotCodec() {}

    static byte[] write(CoordState state) {
        WireWriter w = new WireWriter(4096);
        w.byte_(MAGIC_1).byte_(MAGIC_2).byte_(FORMAT_VERSION).varLong(state.appliedIndex).varLong(state.clusterTime);
        w.varLong(state.keys.size());
        for (Map.Entry<String, KeyStore.StoredKey> e : state.keys.all().entrySet()) {
            KeyStore.StoredKey k = e.getValue();
            w.string(e.getKey()).bytes(k.value()).varLong(k.version()).varLong(k.createIndex())
                    .varLong(k.modIndex()).varLong(k.owner());
        }
        w.varLong(state.sessions.size());
        for (SessionTable.Session s : state.sessions.all()) {
            w.varLong(s.id).varLong(s.ttlMillis).varLong(s.lockDelayMillis).varLong(s.deadline());
        }
        w.varLong(state.locks.all().size());
        for (LockState lock : state.locks.all()) {
            w.string(lock.key).varLong(lock.mode == null ? -1 : lock.mode.code()).varLong(lock.delayUntil);
            w.varLong(lock.holders.size());
            lock.holders.forEach((session, token) -> w.varLong(session).varLong(token));
            w.varLong(lock.waiters.size());
            for (LockView.Waiter waiter : lock.waiters.values()) {
                w.varLong(waiter.session()).byte_(waiter.mode().code()).varLong(waiter.deadline());
            }
        }
        w.varLong(state.httpAddrs.size());
        state.httpAddrs.forEach((member, httpAddr) -> w.string(member).string(httpAddr));
        return w.toByteArray();
    }

    static CoordState read(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        if (r.byte_() != MAGIC_1 || r.byte_() != MAGIC_2) {
            throw r.fail(0, "not a coordination snapshot");
        }
        int version = r.byte_();
        if (version != FORMAT_VERSION && version != WITHOUT_MEMBERS) {
            throw r.fail(2, "unsupported snapshot format version " + version);
        }
        CoordState state = new CoordState();
        state.appliedIndex = r.boundedLong(Long.MAX_VALUE, "appliedIndex");
        state.clusterTime = r.boundedLong(Long.MAX_VALUE, "clusterTime");
        int keyCount = r.count(6, "key");
        Map<String, KeyStore.StoredKey> owned = new TreeMap<>();
        String previousKey = null;
        for (int i = 0; i < keyCount; i++) {
            String key = r.string(KeySyntax.MAX_KEY_BYTES, "key");
            requireAscending(r, previousKey, key, "keys");
            previousKey = key;
            KeyStore.StoredKey k = new KeyStore.StoredKey(r.bytes(Integer.MAX_VALUE, "value"),
                    r.varLong(), r.varLong(), r.varLong(), r.varLong());
            state.keys.restore(key, k);
            if (k.owner() != Command.NO_SESSION) {
                owned.put(key, k);
            }
        }
        int sessionCount = r.count(4, "session");
        long previousId = 0;
        for (int i = 0; i < sessionCount; i++) {
            long id = r.varLong();
            requireAscending(r, previousId, id, "session ids");
            previousId = id;
            state.sessions.open(id, r.varLong(), r.varLong(), r.varLong());
        }
        owned.forEach((key, k) -> session(state, r, k.owner()).ephemeralKeys.add(key));
        int lockCount = r.count(5, "lock");
        String previousLock = null;
        for (int i = 0; i < lockCount; i++) {
            LockState lock = readLock(state, r);
            requireAscending(r, previousLock, lock.key, "lock keys");
            previousLock = lock.key;
            state.locks.restore(lock);
        }
        if (version >= FORMAT_VERSION) {
            readMembers(state, r);
        }
        r.expectEnd("snapshot");
        return state;
    }

    private static void readMembers(CoordState state, WireReader r) {
        int memberCount = r.count(2, "member");
        String previousMember = null;
        for (int i = 0; i < memberCount; i++) {
            String member = r.string(CoordStateMachine.MAX_MEMBER_FIELD_CHARS * 4, "member");
            requireAscending(r, previousMember, member, "members");
            previousMember = member;
            state.httpAddrs.put(member, r.string(CoordStateMachine.MAX_MEMBER_FIELD_CHARS * 4, "httpAddr"));
        }
    }

    private static LockState readLock(CoordState state, WireReader r) {
        LockState lock = new LockState(r.string(KeySyntax.MAX_KEY_BYTES, "lock key"));
        long mode = r.varLong();
        lock.delayUntil = r.varLong();
        int holders = r.count(2, "holder");
        for (int j = 0; j < holders; j++) {
            long session = r.varLong();
            if (lock.holders.containsKey(session)) {
                throw r.fail(r.position(), "session " + session + " holds " + lock.key + " twice");
            }
            lock.grant(session, LockMode.fromCode((int) mode), r.varLong());
            session(state, r, session).heldLocks.add(lock.key);
        }
        int waiters = r.count(3, "waiter");
        for (int j = 0; j < waiters; j++) {
            long session = r.varLong();
            if (lock.waiters.containsKey(session)) {
                throw r.fail(r.position(), "session " + session + " waits for " + lock.key + " twice");
            }
            lock.waiters.put(session, new LockView.Waiter(session, LockMode.fromCode(r.byte_()), r.varLong()));
            session(state, r, session).waitingLocks.add(lock.key);
        }
        return lock;
    }

    /** Canonical order is part of the format: it makes equal states have equal bytes. */
    private static <T extends Comparable<T>> void requireAscending(WireReader r, T previous, T next, String what) {
        if (previous != null && previous.compareTo(next) >= 0) {
            throw r.fail(r.position(), what + " out of order: " + next + " after " + previous);
        }
    }

    private static SessionTable.Session session(CoordState state, WireReader r, long id) {
        SessionTable.Session s = state.sessions.get(id);
        if (s == null) {
            throw r.fail(r.position(), "snapshot refers to session " + id + " that it does not contain");
        }
        return s;
    }
}
