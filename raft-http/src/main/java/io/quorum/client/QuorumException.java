package io.quorum.client;

import java.time.Duration;

/**
 * Every failure of a {@link QuorumClient} call: an API error answer, or no answer at all.
 *
 * <p>{@link #notApplied()} says whether the request is known not to have taken effect (400, 404,
 * 409, 412, 413, 429, 503 and the other 4xx answers; a connection that could not be opened). When
 * it is false the outcome is unknown (504, a timeout, a connection lost after the request was
 * sent, a 5xx): a write may still commit, and only the caller can decide whether repeating it is
 * safe.
 */
public final class QuorumException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@link #status()} of a failure without an HTTP answer. */
    public static final int NO_ANSWER = 0;

    private final int status;
    private final String code;
    private final Duration retryAfter;
    private final boolean notApplied;

    public QuorumException(int status, String code, String message, Duration retryAfter, boolean notApplied,
                           Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
        this.notApplied = notApplied;
    }

    /** An error answer: whether it was applied follows from its status (see the class comment). */
    static QuorumException ofAnswer(int status, String code, String message, Duration retryAfter) {
        return new QuorumException(status, code, message, retryAfter, status >= 400 && status < 500 || status == 503, null);
    }

    /** No answer arrived, and the request may have been sent: its outcome is unknown. */
    static QuorumException outcomeUnknown(String endpoint, Throwable cause) {
        return new QuorumException(NO_ANSWER, "TIMEOUT", "no answer from " + endpoint + ", the outcome is unknown: "
                + describe(cause), null, false, cause);
    }

    /** No connection could be opened: nothing was sent. */
    static QuorumException unreachable(String endpoint, Throwable cause) {
        return new QuorumException(NO_ANSWER, "UNAVAILABLE", "cannot connect to " + endpoint + ": " + describe(cause),
                null, true, cause);
    }

    /** The TLS handshake failed: nothing was sent. Usually a CA that is not the server's, or no client certificate where one is required. */
    static QuorumException tlsRefused(String endpoint, Throwable cause) {
        return new QuorumException(NO_ANSWER, "UNAVAILABLE", "TLS handshake with " + endpoint + " failed: " + describe(cause)
                + " (check --cacert against the server's CA, and --cert/--key if it requires client certificates)",
                null, true, cause);
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The HTTP status, or {@link #NO_ANSWER}. */
    public int status() {
        return status;
    }

    /** API.md's {@code error.code} ({@code NOT_FOUND}, {@code LOCK_HELD}, …); {@code TIMEOUT} or {@code UNAVAILABLE} without an answer. */
    public String code() {
        return code;
    }

    /** The answer's {@code Retry-After}, or null when it had none. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** True when the request is known not to have taken effect; false when its outcome is unknown. */
    public boolean notApplied() {
        return notApplied;
    }

    /** True when the request may have taken effect: the opposite of {@link #notApplied()}. */
    public boolean outcomeUnknown() {
        return !notApplied;
    }
}
