package io.quorum.coord;

import io.quorum.coord.Command.Delete;
import io.quorum.coord.Command.Put;
import io.quorum.coord.Result.Failure;
import java.util.List;

/**
 * Applies puts and deletes: key syntax, value size, ephemeral owner, fence and version
 * preconditions, in that order (the first that fails is the answer), then the write and its event.
 * Keeps the sessions' ephemeral-key sets in step with the owners in {@link KeyStore}.
 */
final class KvCommands {

    private final KeyStore keys;
    private final SessionTable sessions;
    private final LockTable locks;
    private final CoordConfig config;

    KvCommands(KeyStore keys, SessionTable sessions, LockTable locks, CoordConfig config) {
        this.keys = keys;
        this.sessions = sessions;
        this.locks = locks;
        this.config = config;
    }

    Result put(Put p, ApplyContext ctx) {
        String keyProblem = KeySyntax.problem(p.key());
        if (keyProblem != null) {
            return Failure.of(ErrorCode.INVALID_ARGUMENT, keyProblem);
        }
        if (p.value().length > config.maxValueBytes()) {
            return Failure.of(ErrorCode.TOO_LARGE, "value of " + p.value().length + " bytes is over the limit of "
                    + config.maxValueBytes());
        }
        SessionTable.Session owner = null;
        if (p.ephemeralSession() != Command.NO_SESSION) {
            owner = sessions.get(p.ephemeralSession());
            if (owner == null) {
                return Failure.sessionNotFound(p.ephemeralSession());
            }
        }
        Failure refused = preconditionFailure(p.key(), p.expectedVersion(), p.fence());
        if (refused != null) {
            return refused;
        }
        KeyStore.StoredKey old = keys.get(p.key());
        if (old != null && old.owner() != Command.NO_SESSION) {
            sessions.get(old.owner()).ephemeralKeys.remove(p.key());
        }
        KeyStore.StoredKey now = keys.write(p.key(), p.value(), ctx.index, p.ephemeralSession());
        if (owner != null) {
            owner.ephemeralKeys.add(p.key());
        }
        ctx.emit(EventType.PUT, p.key(), now.version(), p.ephemeralSession(), 0);
        return new Result.KeyWritten(p.key(), now.version(), now.createIndex(), now.modIndex());
    }

    Result delete(Delete d, ApplyContext ctx) {
        String keyProblem = KeySyntax.problem(d.key());
        if (keyProblem != null) {
            return Failure.of(ErrorCode.INVALID_ARGUMENT, keyProblem);
        }
        Failure refused = preconditionFailure(d.key(), d.expectedVersion(), d.fence());
        if (refused != null) {
            return refused;
        }
        return new Result.KeyDeleted(remove(d.key(), ctx), ctx.index);
    }

    /** Deletes the ephemeral keys of an ending session. */
    void endSession(SessionTable.Session session, ApplyContext ctx) {
        for (String key : List.copyOf(session.ephemeralKeys)) {
            remove(key, ctx);
        }
    }

    private boolean remove(String key, ApplyContext ctx) {
        KeyStore.StoredKey old = keys.remove(key);
        if (old == null) {
            return false;
        }
        if (old.owner() != Command.NO_SESSION) {
            sessions.get(old.owner()).ephemeralKeys.remove(key);
        }
        ctx.emit(EventType.DELETE, key, 0, old.owner(), 0);
        return true;
    }

    /**
     * A fenced write is refused unless the named lock is held with that token right now; a
     * version precondition compares with the current version, 0 when the key is absent.
     */
    private Failure preconditionFailure(String key, long expectedVersion, Fence fence) {
        if (fence != null) {
            LockState lock = locks.get(fence.lockKey());
            if (lock == null || !lock.heldWithToken(fence.token())) {
                return Failure.of(ErrorCode.FENCED, "token " + fence.token() + " is not a current grant of lock "
                        + fence.lockKey());
            }
        }
        if (expectedVersion != Command.ANY_VERSION) {
            KeyStore.StoredKey current = keys.get(key);
            long version = current == null ? 0 : current.version();
            if (version != expectedVersion) {
                return Failure.of(ErrorCode.VERSION_MISMATCH, expectedVersion == Command.ABSENT
                        ? key + " exists (version " + version + ")"
                        : key + " is at version " + version + ", not " + expectedVersion);
            }
        }
        return null;
    }
}
