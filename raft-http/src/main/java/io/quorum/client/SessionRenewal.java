package io.quorum.client;

import java.time.Duration;

/** The answer of a keepalive: the session now expires {@code expiresIn} from the keepalive's entry, in cluster time. */
public record SessionRenewal(long id, Duration ttl, Duration expiresIn) {}
