package io.quorum.raft.storage;

/**
 * Tuning of {@link DurableStorage}.
 *
 * @param segmentBytes size to which each log segment is preallocated (a batch larger than this gets
 *                     a segment of its own size)
 * @param cacheBytes   budget of the cache of recent entries, which serves reads without the disk
 */
public record StorageOptions(long segmentBytes, long cacheBytes) {

    /** 64 MiB segments: a preallocation every 64 MiB of log; 16 MiB of recent entries cached. */
    public static final StorageOptions DEFAULTS = new StorageOptions(64L << 20, 16L << 20);

    public StorageOptions {
        if (segmentBytes < 4096 || segmentBytes > (1L << 30)) {
            throw new IllegalArgumentException("segmentBytes must be in [4 KiB, 1 GiB]: " + segmentBytes);
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes must be >= 0: " + cacheBytes);
        }
    }
}
