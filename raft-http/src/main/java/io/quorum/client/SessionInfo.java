package io.quorum.client;

import java.time.Duration;
import java.util.List;

/**
 * A session as {@code GET /v1/sessions/{id}} shows it: the locks it holds, the locks it waits
 * for, its ephemeral keys, and the time left before it expires (cluster time, as that node saw it).
 */
public record SessionInfo(long id, Duration ttl, Duration lockDelay, Duration expiresIn, List<String> locks,
                          List<String> waiting, List<String> ephemeralKeys) {

    public SessionInfo {
        locks = List.copyOf(locks);
        waiting = List.copyOf(waiting);
        ephemeralKeys = List.copyOf(ephemeralKeys);
    }
}
