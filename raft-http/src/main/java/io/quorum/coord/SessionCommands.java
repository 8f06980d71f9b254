package io.quorum.coord;

import io.quorum.coord.Command.CloseSession;
import io.quorum.coord.Command.ExpireSessions;
import io.quorum.coord.Command.KeepAlive;
import io.quorum.coord.Command.OpenSession;
import io.quorum.coord.Result.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the session commands. A session's deadline is cluster time plus its ttl, set when it is
 * opened, renewed, or when a new leader grants grace; it ends by a close or by an {@link
 * ExpireSessions} that finds its deadline passed.
 */
final class SessionCommands {

    private final SessionTable sessions;
    private final KvCommands kv;
    private final LockCommands lockCommands;
    private final CoordConfig config;

    SessionCommands(SessionTable sessions, KvCommands kv, LockCommands lockCommands, CoordConfig config) {
        this.sessions = sessions;
        this.kv = kv;
        this.lockCommands = lockCommands;
        this.config = config;
    }

    Result open(OpenSession o, ApplyContext ctx) {
        if (o.ttlMillis() < CoordConfig.MIN_TTL_MILLIS || o.ttlMillis() > CoordConfig.MAX_TTL_MILLIS) {
            return Failure.of(ErrorCode.INVALID_ARGUMENT, "ttl must be 1s to 1h: " + o.ttlMillis() + "ms");
        }
        if (o.lockDelayMillis() < 0 || o.lockDelayMillis() > CoordConfig.MAX_LOCK_DELAY_MILLIS) {
            return Failure.of(ErrorCode.INVALID_ARGUMENT, "lockDelay must be 0s to "
                    + CoordConfig.MAX_LOCK_DELAY_MILLIS / 1000 + "s: " + o.lockDelayMillis() + "ms");
        }
        if (sessions.size() >= config.maxSessions()) {
            return Failure.of(ErrorCode.OVERLOADED, sessions.size() + " sessions are open, the limit");
        }
        // The entry's index is unique and the same on every replica: a natural session id.
        sessions.open(ctx.index, o.ttlMillis(), o.lockDelayMillis(), ctx.now + o.ttlMillis());
        return new Result.SessionOpened(ctx.index, o.ttlMillis(), o.lockDelayMillis());
    }

    Result keepAlive(KeepAlive k, ApplyContext ctx) {
        SessionTable.Session s = sessions.get(k.session());
        if (s == null) {
            return Failure.sessionNotFound(k.session());
        }
        sessions.setDeadline(s, ctx.now + s.ttlMillis);
        return new Result.SessionRenewed(s.id, s.ttlMillis, s.ttlMillis);
    }

    Result close(CloseSession c, ApplyContext ctx) {
        SessionTable.Session s = sessions.get(c.session());
        if (s == null) {
            return Failure.sessionNotFound(c.session());
        }
        end(s, false, ctx);
        return new Result.SessionClosed(s.id);
    }

    /**
     * Re-checks each deadline against this entry's cluster time: a session renewed since the leader
     * looked lives on. Every session that expires here first leaves every queue, before any of them
     * releases a lock: a request of a session expiring in this entry is never granted by it.
     */
    Result expire(ExpireSessions e, ApplyContext ctx) {
        List<SessionTable.Session> expiring = new ArrayList<>();
        for (long id : e.sessions()) {
            SessionTable.Session s = sessions.get(id);
            if (s != null && s.deadline() <= ctx.now && !expiring.contains(s)) {
                expiring.add(s);
            }
        }
        lockCommands.withdrawWaits(expiring, ctx);
        List<Long> expired = new ArrayList<>();
        for (SessionTable.Session s : expiring) {
            ctx.emit(EventType.SESSION_EXPIRED, "", 0, s.id, 0);
            end(s, true, ctx);
            expired.add(s.id);
        }
        return new Result.SessionsExpired(expired);
    }

    /** A new leader's grace (Chubby §2.8): a keepalive lost in the failover must not expire a session. */
    Result leaderChanged(ApplyContext ctx) {
        for (SessionTable.Session s : sessions.all()) {
            sessions.setDeadline(s, ctx.now + s.ttlMillis);
        }
        return new Result.SessionsRenewed(sessions.size());
    }

    private void end(SessionTable.Session s, boolean expired, ApplyContext ctx) {
        lockCommands.endSession(s, expired, ctx);
        kv.endSession(s, ctx);
        sessions.remove(s.id);
    }
}
