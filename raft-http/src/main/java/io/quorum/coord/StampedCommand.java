package io.quorum.coord;

import java.util.Objects;

/**
 * What a log entry's payload holds: a command and the cluster time the leader stamped on it
 * when it proposed the entry (its wall clock in milliseconds). The state machine never reads a
 * clock; its time is the largest stamp applied so far, so it never goes backwards when a new
 * leader's clock is behind the old one's.
 */
public record StampedCommand(long clusterTimeMillis, Command command) {

    public StampedCommand {
        if (clusterTimeMillis < 0) {
            throw new IllegalArgumentException("clusterTimeMillis must be >= 0: " + clusterTimeMillis);
        }
        Objects.requireNonNull(command, "command");
    }
}
