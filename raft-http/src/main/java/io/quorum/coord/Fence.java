package io.quorum.coord;

import java.util.Objects;

/**
 * The precondition of a fenced write ({@code X-Quorum-Fence: <lock-key>;<token>}): the write is
 * applied only while {@code lockKey} is held with fencing token {@code token}.
 */
public record Fence(String lockKey, long token) {

    public Fence {
        Objects.requireNonNull(lockKey, "lockKey");
    }

    /**
     * Parses the header value {@code <lock-key>;<token>}.
     *
     * @throws IllegalArgumentException saying what is wrong, for a 400 INVALID_ARGUMENT
     */
    public static Fence parse(String header) {
        int semicolon = header.lastIndexOf(';');
        if (semicolon < 0) {
            throw new IllegalArgumentException("X-Quorum-Fence must be <lock-key>;<token>: '" + header + "'");
        }
        String key = header.substring(0, semicolon).trim();
        String keyProblem = KeySyntax.problem(key);
        if (keyProblem != null) {
            throw new IllegalArgumentException("X-Quorum-Fence: " + keyProblem);
        }
        String digits = header.substring(semicolon + 1).trim();
        long token;
        try {
            token = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            token = 0;
        }
        if (token < 1 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("X-Quorum-Fence: token must be a positive integer: '" + digits + "'");
        }
        return new Fence(key, token);
    }
}
