package io.quorum.coord;

import java.util.Objects;

/** Names one queued lock request: the lock's key and the waiting session. */
public record WaitRef(String key, long session) implements Comparable<WaitRef> {

    public WaitRef {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public int compareTo(WaitRef other) {
        int byKey = key.compareTo(other.key);
        return byKey != 0 ? byKey : Long.compare(session, other.session);
    }
}
