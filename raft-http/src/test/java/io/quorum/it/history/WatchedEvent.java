package io.quorum.it.history;

/** One event as a watcher received it, with the time it arrived on its history's clock. */
public record WatchedEvent(long index, String type, String key, long version, long session, long token, long received) {
}
