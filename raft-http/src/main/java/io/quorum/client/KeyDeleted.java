package io.quorum.client;

/** The answer of a delete: whether the key existed, and the Raft index of the delete. */
public record KeyDeleted(boolean deleted, long index) {}
