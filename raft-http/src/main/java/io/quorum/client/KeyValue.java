package io.quorum.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A key's raw value with its {@code version} and {@code modIndex}; the bytes are copied in and out. */
public record KeyValue(String key, byte[] value, long version, long modIndex) {

    public KeyValue {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8. */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue k && key.equals(k.key) && Arrays.equals(value, k.value) && version == k.version
                && modIndex == k.modIndex;
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KeyValue[key=" + key + ", " + value.length + " bytes, version=" + version + ", modIndex=" + modIndex + "]";
    }
}
