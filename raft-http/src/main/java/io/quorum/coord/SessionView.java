package io.quorum.coord;

import java.util.List;

/**
 * A session as {@code GET /v1/sessions/{id}} shows it; {@code expiresAt} is in cluster time.
 * {@code locks} are the keys it holds, {@code waiting} the keys it is queued for.
 */
public record SessionView(long id, long ttlMillis, long lockDelayMillis, long expiresAt,
                          List<String> locks, List<String> waiting, List<String> ephemeralKeys) {

    public SessionView {
        locks = List.copyOf(locks);
        waiting = List.copyOf(waiting);
        ephemeralKeys = List.copyOf(ephemeralKeys);
    }
}
