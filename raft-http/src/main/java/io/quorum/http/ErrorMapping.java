package io.quorum.http;

import io.quorum.coord.ErrorCode;
import io.quorum.coord.Result;
import io.quorum.raft.node.NodeException;
import java.util.concurrent.CompletionException;

/**
 * Turns what went wrong into an {@link ApiException}: the state machine's refusals, the node's
 * failures, and anything unexpected (500). The statuses are API.md's error table.
 */
final class ErrorMapping {

    /** Seconds a client should wait before retrying a refused (never applied) request. */
    static final int RETRY_AFTER_SECONDS = 1;

    private ErrorMapping() {}

    /** A command the state machine refused; it changed nothing. */
    static ApiException of(Result.Failure failure) {
        ApiException error = new ApiException(status(failure.code()), failure.code().name(), failure.message(),
                failure.code() == ErrorCode.OVERLOADED ? RETRY_AFTER_SECONDS : 0);
        return failure.code() == ErrorCode.LOCK_HELD ? error.withHolders(failure.holders()) : error;
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> 400;
            case NOT_FOUND, SESSION_NOT_FOUND -> 404;
            case LOCK_HELD, FENCED -> 409;
            case VERSION_MISMATCH -> 412;
            case TOO_LARGE -> 413;
            case OVERLOADED -> 429;
        };
    }

    /**
     * Any failure of a request. NO_LEADER, NOT_COMMITTED and OVERLOADED are known not to have
     * taken effect: 503/429 with Retry-After. TIMEOUT and STOPPED leave the outcome unknown: 504.
     */
    static ApiException of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof NodeException node) {
            return of(node);
        }
        return new ApiException(500, "INTERNAL", "internal error: " + cause);
    }

    private static ApiException of(NodeException e) {
        return switch (e.kind()) {
            case NO_LEADER -> new ApiException(503, "NO_LEADER", e.getMessage(), RETRY_AFTER_SECONDS);
            case NOT_COMMITTED -> new ApiException(503, "UNAVAILABLE", e.getMessage(), RETRY_AFTER_SECONDS);
            case OVERLOADED -> new ApiException(429, "OVERLOADED", e.getMessage(), RETRY_AFTER_SECONDS);
            case INVALID -> ApiException.invalid(e.getMessage());
            case TIMEOUT, STOPPED -> new ApiException(504, "TIMEOUT", "the outcome is unknown: " + e.getMessage());
        };
    }

    /**
     * A read that could not be confirmed changed nothing, so unlike a write its timeout is safe to
     * retry: 503 with Retry-After instead of 504.
     */
    static Throwable forRead(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof NodeException node && node.kind() == NodeException.Kind.TIMEOUT) {
            return new ApiException(503, "UNAVAILABLE", "the read could not be confirmed by a leader in time: "
                    + node.getMessage(), RETRY_AFTER_SECONDS);
        }
        return cause;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
