package io.quorum.client;

import java.time.Duration;

/** An open session: its id and the ttl and lockDelay the cluster granted. */
public record Session(long id, Duration ttl, Duration lockDelay) {}
