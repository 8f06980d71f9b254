package io.quorum.http;

import java.util.List;

/**
 * A request that ends with an API error: its status, the {@code error.code} of API.md's table,
 * a message for a person, and for 429/503 the seconds after which a retry is sensible.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final int retryAfterSeconds;
    private final List<?> holders;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public ApiException(int status, String code, String message, int retryAfterSeconds) {
        this(status, code, message, retryAfterSeconds, null);
    }

    private ApiException(int status, String code, String message, int retryAfterSeconds, List<?> holders) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.holders = holders == null ? null : List.copyOf(holders);
    }

    /** This error, answered with a lock's holders (409 LOCK_HELD "with the holders"). */
    public ApiException withHolders(List<?> lockHolders) {
        return new ApiException(status, code, getMessage(), retryAfterSeconds, lockHolders);
    }

    /** The lock's holders the answer lists, or null when it lists none. */
    public List<?> holders() {
        return holders;
    }

    /** 400 INVALID_ARGUMENT: a bad key, body, header, parameter or duration. */
    public static ApiException invalid(String message) {
        return new ApiException(400, "INVALID_ARGUMENT", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 0 when the response carries no {@code Retry-After}. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
