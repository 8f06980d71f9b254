package io.quorum.raft.protocol;

/** A complete snapshot: its metadata and the state machine's serialized state. */
public record Snapshot(SnapshotMeta meta, byte[] data) {

    public Snapshot {
        if (meta.sizeBytes() != data.length) {
            throw new IllegalArgumentException("snapshot size " + data.length + " != meta " + meta.sizeBytes());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot s && s.meta.equals(meta) && java.util.Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return meta.hashCode() * 31 + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "snapshot@" + meta.index() + "/" + meta.term() + " " + data.length + "B";
    }
}
