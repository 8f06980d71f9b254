package io.quorum.client;

import java.util.List;

/** A lock's state: {@code mode} is null and {@code holders} empty when nobody holds it; waiters in arrival order. */
public record LockInfo(String key, String mode, List<Holder> holders, List<Waiter> waiters) {

    public LockInfo {
        holders = holders == null ? List.of() : List.copyOf(holders);
        waiters = waiters == null ? List.of() : List.copyOf(waiters);
    }

    public boolean held() {
        return !holders.isEmpty();
    }

    public record Holder(long session, long token) {}

    public record Waiter(long session, String mode) {}
}
