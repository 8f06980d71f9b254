package io.quorum.client;

/**
 * A granted lock. {@code token} is the fencing token (the Raft index of the grant); pass it with
 * {@link WriteOptions#withFence} or to a service that checks it.
 */
public record LockGrant(String key, String mode, long session, long token) {}
