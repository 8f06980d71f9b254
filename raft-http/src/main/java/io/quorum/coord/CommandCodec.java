package io.quorum.coord;

import io.quorum.coord.Command.Acquire;
import io.quorum.coord.Command.Advertise;
import io.quorum.coord.Command.CancelWait;
import io.quorum.coord.Command.ClearLockDelays;
import io.quorum.coord.Command.CloseSession;
import io.quorum.coord.Command.Delete;
import io.quorum.coord.Command.ExpireSessions;
import io.quorum.coord.Command.ExpireWaits;
import io.quorum.coord.Command.KeepAlive;
import io.quorum.coord.Command.LeaderChanged;
import io.quorum.coord.Command.OpenSession;
import io.quorum.coord.Command.Put;
import io.quorum.coord.Command.Release;
import java.util.ArrayList;
import java.util.List;

/**
 * The log payload of a {@link StampedCommand}.
 *
 * <pre>
 *   payload   = magic 0x51 ('Q'), format version 0x01, clusterTimeMillis, tag, fields
 *   numbers   = zigzag LEB128 varints (see {@link WireWriter}); string = length + UTF-8;
 *               value = length + bytes; lists = count + elements
 *   tags      1 Put        flags(bit0 expectedVersion, bit1 ephemeralSession, bit2 fence), key,
 *                          value, [expectedVersion], [session], [fence key, fence token]
 *             2 Delete     flags(bit0 expectedVersion, bit2 fence), key, [expectedVersion], [fence]
 *             3 OpenSession ttlMillis, lockDelayMillis     4 KeepAlive session
 *             5 CloseSession session                       6 ExpireSessions count, sessions
 *             7 Acquire    key, session, mode code, waitMillis
 *             8 Release    key, session                    9 CancelWait key, session
 *            10 ExpireWaits count, (key, session)…        11 ClearLockDelays count, keys
 *            12 LeaderChanged (no fields)                 13 Advertise member, httpAddr
 * </pre>
 *
 * A new field or command gets a new tag or a new format version; a replica never guesses at
 * bytes it does not know: {@link #decode} rejects them, and {@link CoordStateMachine#apply}
 * turns that into an INVALID_ARGUMENT result that is the same on every replica.
 */
public final class CommandCodec {

    static final int MAGIC = 0x51;
    static final int FORMAT_VERSION = 1;
    /** Strings on the wire may be longer than a valid key so that apply, not decode, names the error. */
    static final int MAX_STRING_BYTES = 4096;

    private static final int PUT = 1, DELETE = 2, OPEN = 3, KEEPALIVE = 4, CLOSE = 5,
            EXPIRE_SESSIONS = 6, ACQUIRE = 7, RELEASE = 8, CANCEL_WAIT = 9, EXPIRE_WAITS = 10,
            CLEAR_DELAYS = 11, LEADER_CHANGED = 12, ADVERTISE = 13;
    private static final int HAS_VERSION = 1, HAS_SESSION = 2, HAS_FENCE = 4;

    private CommandCodec() {}

    public static byte[] encode(StampedCommand stamped) {
        Command c = stamped.command();
        int size = 16 + (c instanceof Put p ? p.value().length + p.key().length() : 64);
        WireWriter w = new WireWriter(size);
        w.byte_(MAGIC).byte_(FORMAT_VERSION).varLong(stamped.clusterTimeMillis());
        if (c instanceof Put p) {
            int flags = (p.expectedVersion() != Command.ANY_VERSION ? HAS_VERSION : 0)
                    | (p.ephemeralSession() != Command.NO_SESSION ? HAS_SESSION : 0)
                    | (p.fence() != null ? HAS_FENCE : 0);
            w.byte_(PUT).byte_(flags).string(p.key()).bytes(p.value());
            writeOptions(w, flags, p.expectedVersion(), p.ephemeralSession(), p.fence());
        } else if (c instanceof Delete d) {
            int flags = (d.expectedVersion() != Command.ANY_VERSION ? HAS_VERSION : 0)
                    | (d.fence() != null ? HAS_FENCE : 0);
            w.byte_(DELETE).byte_(flags).string(d.key());
            writeOptions(w, flags, d.expectedVersion(), Command.NO_SESSION, d.fence());
        } else if (c instanceof OpenSession o) {
            w.byte_(OPEN).varLong(o.ttlMillis()).varLong(o.lockDelayMillis());
        } else if (c instanceof KeepAlive k) {
            w.byte_(KEEPALIVE).varLong(k.session());
        } else if (c instanceof CloseSession s) {
            w.byte_(CLOSE).varLong(s.session());
        } else if (c instanceof ExpireSessions e) {
            w.byte_(EXPIRE_SESSIONS).varLong(e.sessions().size());
            e.sessions().forEach(w::varLong);
        } else if (c instanceof Acquire a) {
            w.byte_(ACQUIRE).string(a.key()).varLong(a.session()).byte_(a.mode().code()).varLong(a.waitMillis());
        } else if (c instanceof Release r) {
            w.byte_(RELEASE).string(r.key()).varLong(r.session());
        } else if (c instanceof CancelWait x) {
            w.byte_(CANCEL_WAIT).string(x.key()).varLong(x.session());
        } else if (c instanceof ExpireWaits e) {
            w.byte_(EXPIRE_WAITS).varLong(e.waits().size());
            e.waits().forEach(ref -> w.string(ref.key()).varLong(ref.session()));
        } else if (c instanceof ClearLockDelays d) {
            w.byte_(CLEAR_DELAYS).varLong(d.keys().size());
            d.keys().forEach(w::string);
        } else if (c instanceof LeaderChanged) {
            w.byte_(LEADER_CHANGED);
        } else if (c instanceof Advertise a) {
            w.byte_(ADVERTISE).string(a.member()).string(a.httpAddr());
        } else {
            throw new IllegalArgumentException("no encoding for " + c);
        }
        return w.toByteArray();
    }

    /** Decodes a payload, or throws {@link MalformedPayloadException} saying what is wrong with it. */
    public static StampedCommand decode(byte[] payload) {
        WireReader r = new WireReader(payload);
        int magic = r.byte_();
        if (magic != MAGIC) {
            throw r.fail(0, "not a coordination command: magic byte 0x" + Integer.toHexString(magic));
        }
        int version = r.byte_();
        if (version != FORMAT_VERSION) {
            throw r.fail(1, "unsupported command format version " + version + " (this build reads " + FORMAT_VERSION + ")");
        }
        long clusterTime = r.boundedLong(Long.MAX_VALUE, "clusterTimeMillis");
        Command command = decodeCommand(r);
        r.expectEnd("command");
        return new StampedCommand(clusterTime, command);
    }

    private static Command decodeCommand(WireReader r) {
        int tag = r.byte_();
        switch (tag) {
            case PUT: {
                int flags = flags(r, HAS_VERSION | HAS_SESSION | HAS_FENCE);
                String key = key(r);
                byte[] value = r.bytes(Integer.MAX_VALUE, "value");
                long expected = (flags & HAS_VERSION) != 0 ? r.varLong() : Command.ANY_VERSION;
                long session = (flags & HAS_SESSION) != 0 ? r.varLong() : Command.NO_SESSION;
                return new Put(key, value, expected, session, fence(r, flags));
            }
            case DELETE: {
                int flags = flags(r, HAS_VERSION | HAS_FENCE);
                String key = key(r);
                long expected = (flags & HAS_VERSION) != 0 ? r.varLong() : Command.ANY_VERSION;
                return new Delete(key, expected, fence(r, flags));
            }
            case OPEN:
                return new OpenSession(r.varLong(), r.varLong());
            case KEEPALIVE:
                return new KeepAlive(r.varLong());
            case CLOSE:
                return new CloseSession(r.varLong());
            case EXPIRE_SESSIONS: {
                int n = r.count(1, "session");
                List<Long> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(r.varLong());
                }
                return new ExpireSessions(ids);
            }
            case ACQUIRE:
                return new Acquire(key(r), r.varLong(), LockMode.fromCode(r.byte_()), r.varLong());
            case RELEASE:
                return new Release(key(r), r.varLong());
            case CANCEL_WAIT:
                return new CancelWait(key(r), r.varLong());
            case EXPIRE_WAITS: {
                int n = r.count(2, "wait");
                List<WaitRef> waits = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    waits.add(new WaitRef(key(r), r.varLong()));
                }
                return new ExpireWaits(waits);
            }
            case CLEAR_DELAYS: {
                int n = r.count(1, "key");
                List<String> keys = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(key(r));
                }
                return new ClearLockDelays(keys);
            }
            case LEADER_CHANGED:
                return new LeaderChanged();
            case ADVERTISE:
                return new Advertise(r.string(MAX_STRING_BYTES, "member"), r.string(MAX_STRING_BYTES, "httpAddr"));
            default:
                throw r.fail(2, "unknown command tag " + tag);
        }
    }

    private static void writeOptions(WireWriter w, int flags, long expectedVersion, long session, Fence fence) {
        if ((flags & HAS_VERSION) != 0) {
            w.varLong(expectedVersion);
        }
        if ((flags & HAS_SESSION) != 0) {
            w.varLong(session);
        }
        if ((flags & HAS_FENCE) != 0) {
            w.string(fence.lockKey()).varLong(fence.token());
        }
    }

    private static int flags(WireReader r, int allowed) {
        int flags = r.byte_();
        if ((flags & ~allowed) != 0) {
            throw new MalformedPayloadException("unknown option flags 0x" + Integer.toHexString(flags));
        }
        return flags;
    }

    private static Fence fence(WireReader r, int flags) {
        return (flags & HAS_FENCE) != 0 ? new Fence(key(r), r.varLong()) : null;
    }

    private static String key(WireReader r) {
        return r.string(MAX_STRING_BYTES, "key");
    }
}
