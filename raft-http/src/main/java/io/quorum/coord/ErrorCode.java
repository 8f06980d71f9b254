package io.quorum.coord;

/**
 * The error codes a command can fail with; the names are the API's {@code error.code} values and
 * the HTTP layer maps each to its status (API.md, the error table).
 */
public enum ErrorCode {
    /** 400: bad key, bad duration, bad mode, a payload that does not decode. */
    INVALID_ARGUMENT,
    /** 404: the key is absent. */
    NOT_FOUND,
    /** 404: the session is absent; an expired or closed session is absent. */
    SESSION_NOT_FOUND,
    /** 409: the lock could not be granted within the request's wait. */
    LOCK_HELD,
    /** 409: a fenced write whose token is not a current holder's token of that lock. */
    FENCED,
    /** 412: an {@code If-Match} / {@code If-None-Match} precondition failed. */
    VERSION_MISMATCH,
    /** 413: a value over the configured limit. */
    TOO_LARGE,
    /**
     * 429: a replicated limit is reached (number of sessions, waiters per lock). Retrying later can
     * succeed once sessions end or waiters leave, which is what 429 with Retry-After says.
     */
    OVERLOADED
}
