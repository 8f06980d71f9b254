package io.quorum.client;

/** The answer of a put: the key's new {@code version} and the Raft indexes that created and changed it. */
public record KeyWritten(String key, long version, long createIndex, long modIndex) {}
