package io.quorum.coord;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key as {@code GET /v1/kv/{key}} with metadata shows it. {@code ephemeralOwner} is the owning
 * session or 0; {@code lock} is the lock of the same name, or null when there is none.
 */
public record KeyView(String key, byte[] value, long version, long createIndex, long modIndex,
                      long ephemeralOwner, LockView lock) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyView k
                && k.key.equals(key)
                && Arrays.equals(k.value, value)
                && k.version == version
                && k.createIndex == createIndex
                && k.modIndex == modIndex
                && k.ephemeralOwner == ephemeralOwner
                && Objects.equals(k.lock, lock);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), version, createIndex, modIndex, ephemeralOwner, lock);
    }

    @Override
    public String toString() {
        return "KeyView[" + key + ", " + value.length + "B, v" + version + ", create=" + createIndex
                + ", mod=" + modIndex + ", owner=" + ephemeralOwner + ", lock=" + lock + "]";
    }
}
