package io.quorum.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An in-memory {@link StorageFiles} that models what a disk keeps across a power failure, and
 * injects the faults the storage must survive:
 * <ul>
 *   <li>{@link #crash(CrashMode, Random)}: everything not fsynced is lost (file data since the last
 *       {@link StorageFile#sync}, names since the last {@link #syncDirectory}), or the unsynced
 *       writes survive torn (a prefix) or scrambled (a random subset of 512-byte sectors);</li>
 *   <li>{@link #crashAfterOperations(int)}: the process dies in the middle of a storage call, at
 *       the n-th file operation from now ({@link SimulatedCrash} is thrown);</li>
 *   <li>{@link #flipBit}: media corruption of durable data;</li>
 *   <li>{@link #failSyncsAfter(int)}: fsync starts failing with EIO;</li>
 *   <li>{@link #setFreeBytes(long)}: growing a file past the free space fails with ENOSPC.</li>
 * </ul>
 * Not thread-safe, like the storage it serves.
 */
final class FaultyFiles implements StorageFiles {

    /** What survives a crash of the unsynced writes. */
    enum CrashMode { LOSE_UNSYNCED, TEAR_LAST_WRITES, SCRAMBLE_SECTORS }

    /** Thrown from inside a file operation to model the process dying there. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash");
        }
    }

    private static final int SECTOR = 512;

    private static final class Inode {
        byte[] data = new byte[0];
        int size;
        byte[] durable = new byte[0];
        /** Regions written since the last sync, in order: {position, length}. */
        final List<long[]> unsynced = new ArrayList<>();
    }

    private final Map<Path, Inode> names = new HashMap<>();
    private final Map<Path, Inode> durableNames = new HashMap<>();
    private long freeBytes = Long.MAX_VALUE;
    private int syncsBeforeFailure = -1;
    private int operationsBeforeCrash = -1;
    private int generation;
    private long syncCount;

    // ---- fault controls ----

    /** Restarts the "machine": only durable state is left; open files become unusable. */
    void crash(CrashMode mode, Random random) {
        generation++;
        operationsBeforeCrash = -1;
        Set<Inode> inodes = Collections.newSetFromMap(new IdentityHashMap<>());
        inodes.addAll(names.values());
        inodes.addAll(durableNames.values());
        for (Inode inode : inodes) {
            keepSomeUnsynced(inode, mode, random);
            inode.data = inode.durable.clone();
            inode.size = inode.durable.length;
            inode.unsynced.clear();
        }
        names.clear();
        names.putAll(durableNames);
    }

    void crashAfterOperations(int operations) {
        operationsBeforeCrash = operations;
    }

    void failSyncsAfter(int syncs) {
        syncsBeforeFailure = syncs;
    }

    void setFreeBytes(long bytes) {
        freeBytes = bytes;
    }

    long syncCount() {
        return syncCount;
    }

    /** Flips one bit of a file, in its durable and its current content. */
    void flipBit(Path file, long offset, int bit) {
        Inode inode = existing(file);
        inode.data[(int) offset] ^= (byte) (1 << bit);
        if (offset < inode.durable.length) {
            inode.durable[(int) offset] ^= (byte) (1 << bit);
        }
    }

    long sizeOf(Path file) {
        return existing(file).size;
    }

    byte[] contentOf(Path file) {
        Inode inode = existing(file);
        return Arrays.copyOf(inode.data, inode.size);
    }

    // ---- StorageFiles ----

    @Override
    public StorageFile open(Path file) throws IOException {
        step();
        Inode inode = names.get(file);
        if (inode == null) {
            throw new NoSuchFileException(file.toString());
        }
        return new Handle(inode, generation);
    }

    @Override
    public StorageFile create(Path file) throws IOException {
        step();
        if (names.containsKey(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Inode inode = new Inode();
        names.put(file, inode);
        return new Handle(inode, generation);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        step();
        List<Path> files = new ArrayList<>();
        for (Path path : names.keySet()) {
            if (dir.equals(path.getParent())) {
                files.add(path);
            }
        }
        return files;
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        step();
        Inode inode = names.remove(from);
        if (inode == null) {
            throw new NoSuchFileException(from.toString());
        }
        Inode replaced = names.put(to, inode);
        if (replaced != null && !durableNames.containsValue(replaced)) {
            freeBytes = addFree(replaced.size);
        }
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        step();
        Inode inode = names.remove(file);
        if (inode != null) {
            freeBytes = addFree(inode.size);
        }
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        step();
        syncOrFail();
        durableNames.keySet().removeIf(path -> dir.equals(path.getParent()) && !names.containsKey(path));
        names.forEach((path, inode) -> {
            if (dir.equals(path.getParent())) {
                durableNames.put(path, inode);
            }
        });
    }

    @Override
    public void createDirectories(Path dir) {
        // Directories themselves are modelled as always present and durable.
    }

    // ---- internals ----

    private void step() {
        if (operationsBeforeCrash == 0) {
            operationsBeforeCrash = -1;
            throw new SimulatedCrash();
        }
        if (operationsBeforeCrash > 0) {
            operationsBeforeCrash--;
        }
    }

    private void syncOrFail() throws IOException {
        if (syncsBeforeFailure == 0) {
            throw new IOException("Input/output error (injected fsync failure)");
        }
        if (syncsBeforeFailure > 0) {
            syncsBeforeFailure--;
        }
        syncCount++;
    }

    private long addFree(long bytes) {
        return freeBytes == Long.MAX_VALUE ? freeBytes : freeBytes + bytes;
    }

    private Inode existing(Path file) {
        Inode inode = names.get(file);
        if (inode == null) {
            throw new IllegalArgumentException("no file " + file);
        }
        return inode;
    }

    private static void keepSomeUnsynced(Inode inode, CrashMode mode, Random random) {
        if (inode.unsynced.isEmpty() || mode == CrashMode.LOSE_UNSYNCED) {
            return;
        }
        if (mode == CrashMode.TEAR_LAST_WRITES) {
            // The writes reach the disk in order; the crash cuts the stream at a random byte.
            int cutWrite = random.nextInt(inode.unsynced.size());
            for (int i = 0; i <= cutWrite; i++) {
                long[] region = inode.unsynced.get(i);
                long length = i == cutWrite ? random.nextInt((int) Math.max(1, region[1])) : region[1];
                persist(inode, region[0], length);
            }
        } else {
            for (long[] region : inode.unsynced) {
                for (long sector = region[0] / SECTOR * SECTOR; sector < region[0] + region[1]; sector += SECTOR) {
                    if (random.nextBoolean()) {
                        persist(inode, sector, SECTOR);
                    }
                }
            }
        }
    }

    /** Copies the current bytes of [position, position + length) into the durable content. */
    private static void persist(Inode inode, long position, long length) {
        int end = (int) Math.min(inode.size, position + length);
        if (end <= position) {
            return;
        }
        if (inode.durable.length < end) {
            inode.durable = Arrays.copyOf(inode.durable, end);
        }
        System.arraycopy(inode.data, (int) position, inode.durable, (int) position, end - (int) position);
    }

    private final class Handle implements StorageFile {
        private final Inode inode;
        private final int openedIn;

        Handle(Inode inode, int openedIn) {
            this.inode = inode;
            this.openedIn = openedIn;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            live();
            if (position >= inode.size) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), inode.size - position);
            dst.put(inode.data, (int) position, n);
            return n;
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            live();
            long end = position + src.remaining();
            long growth = Math.max(0, end - inode.size);
            long written = src.remaining();
            boolean full = growth > freeBytes;
            if (full) {
                written = Math.max(0, inode.size + freeBytes - position);
            }
            if (freeBytes != Long.MAX_VALUE) {
                freeBytes -= Math.min(growth, freeBytes);
            }
            int n = (int) written;
            ensureCapacity((int) (position + n));
            src.get(inode.data, (int) position, n);
            inode.size = Math.max(inode.size, (int) position + n);
            inode.unsynced.add(new long[] {position, n});
            if (full) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public void sync(boolean metadata) throws IOException {
            live();
            syncOrFail();
            inode.durable = Arrays.copyOf(inode.data, inode.size);
            inode.unsynced.clear();
        }

        @Override
        public void truncate(long size) throws IOException {
            live();
            if (size < inode.size) {
                freeBytes = addFree(inode.size - size);
                Arrays.fill(inode.data, (int) size, inode.size, (byte) 0);
                inode.size = (int) size;
            }
        }

        @Override
        public long size() throws IOException {
            live();
            return inode.size;
        }

        @Override
        public void close() {
            // Nothing to release.
        }

        private void live() throws IOException {
            step();
            if (openedIn != generation) {
                throw new IOException("file handle from before a crash");
            }
        }

        private void ensureCapacity(int size) {
            if (inode.data.length < size) {
                inode.data = Arrays.copyOf(inode.data, Math.max(size, inode.data.length * 2));
            }
        }
    }
}
