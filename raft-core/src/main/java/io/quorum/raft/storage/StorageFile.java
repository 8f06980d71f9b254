package io.quorum.raft.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One open file of {@link StorageFiles}. Positional reads and writes only: no hidden file pointer. */
public interface StorageFile extends Closeable {

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}, extending the file when needed. Not durable until {@link #sync}. */
    void write(ByteBuffer src, long position) throws IOException;

    /**
     * Makes every write so far durable. {@code metadata=false} is fdatasync: it still flushes what is
     * needed to read the data back (the file size included) but not timestamps.
     */
    void sync(boolean metadata) throws IOException;

    /** Cuts the file to {@code size} bytes. Not durable until {@link #sync}. */
    void truncate(long size) throws IOException;

    long size() throws IOException;

    /** Reads exactly {@code dst.remaining()} bytes at {@code position} or fails with EOFException. */
    default void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                throw new java.io.EOFException("end of file at " + at);
            }
            at += n;
        }
    }
}
