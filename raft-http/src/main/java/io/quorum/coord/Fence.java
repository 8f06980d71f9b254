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
}
