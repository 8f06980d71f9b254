package io.quorum.server;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The bytes of a backup: what {@code GET /v1/snapshot} answers and {@link SnapshotRestore} reads.
 * <pre>
 *   int   magic 0x5142414B ("QBAK")
 *   int   format version (1)
 *   long  index: the Raft index the state reflects (every entry up to it is in, none after)
 *   long  term of the entry at that index
 *   ...   the configuration in force at that index ({@link Membership#writeTo})
 *   long  state length
 *   ...   state: the coordination state machine's snapshot ({@code io.quorum.coord.SnapshotCodec},
 *         the same bytes a Raft snapshot of this index would carry)
 *   int   CRC32C of everything before it
 * </pre>
 * Numbers are big-endian. The file is one piece: the checksum covers header and state alike, so a
 * flipped bit anywhere or a cut tail is refused before anything is written. Rejected
 * alternative: a copy of a node's own snapshot file, which is taken at whatever index the node
 * last compacted at, not at a linearizable point, and whose name and layout are raft-core's
 * private business.
 */
public final class BackupFile {

    static final int MAGIC = 0x5142414B;
    static final int FORMAT_VERSION = 1;
    private static final int CHECKSUM_BYTES = 4;

    private BackupFile() {}

    /** The file for {@code snapshot}. */
    public static byte[] encode(Snapshot snapshot) {
        SnapshotMeta meta = snapshot.meta();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(snapshot.data().length + 256);
        try {
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(meta.index());
            out.writeLong(meta.term());
            meta.membership().writeTo(out);
            out.writeLong(snapshot.data().length);
            out.write(snapshot.data());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        CRC32C crc = new CRC32C();
        byte[] body = bytes.toByteArray();
        crc.update(body, 0, body.length);
        byte[] file = new byte[body.length + CHECKSUM_BYTES];
        System.arraycopy(body, 0, file, 0, body.length);
        ByteBuffer.wrap(file, body.length, CHECKSUM_BYTES).putInt((int) crc.getValue());
        return file;
    }

    /**
     * Reads and verifies a backup file.
     *
     * @throws InvalidBackupException saying whether the file is not a backup, of an unknown
     *     version, truncated, or corrupt
     */
    public static Snapshot decode(byte[] file) {
        if (file.length < 8) {
            throw new InvalidBackupException("not a Quorum backup: only " + file.length + " bytes");
        }
        ByteBuffer prefix = ByteBuffer.wrap(file, 0, 8);
        if (prefix.getInt() != MAGIC) {
            throw new InvalidBackupException("not a Quorum backup: wrong magic number");
        }
        int version = prefix.getInt();
        if (version != FORMAT_VERSION) {
            throw new InvalidBackupException("unsupported backup format version " + version + " (this build reads "
                    + FORMAT_VERSION + ")");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, 8, file.length - 8));
        long index;
        long term;
        Membership membership;
        long stateLength;
        try {
            index = in.readLong();
            term = in.readLong();
            membership = Membership.readFrom(in);
            stateLength = in.readLong();
        } catch (EOFException e) {
            throw truncated(file.length);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidBackupException("corrupt backup: unreadable header (" + e.getMessage() + ")");
        }
        long stateOffset = file.length - (long) remaining(in);
        if (stateLength < 0 || index < 1 || term < 1) {
            throw new InvalidBackupException("corrupt backup: index " + index + ", term " + term + ", state length "
                    + stateLength);
        }
        long expectedLength = stateOffset + stateLength + CHECKSUM_BYTES;
        if (file.length < expectedLength) {
            throw truncated(file.length, expectedLength);
        }
        if (file.length > expectedLength) {
            throw new InvalidBackupException("corrupt backup: " + (file.length - expectedLength)
                    + " bytes after its end");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - CHECKSUM_BYTES);
        if (ByteBuffer.wrap(file, file.length - CHECKSUM_BYTES, CHECKSUM_BYTES).getInt() != (int) crc.getValue()) {
            throw new InvalidBackupException("corrupt backup: checksum mismatch (the file was damaged or cut)");
        }
        byte[] state = new byte[(int) stateLength];
        System.arraycopy(file, (int) stateOffset, state, 0, state.length);
        return new Snapshot(new SnapshotMeta(index, term, membership, stateLength), state);
    }

    private static int remaining(DataInputStream in) {
        try {
            return in.available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InvalidBackupException truncated(long actual) {
        return new InvalidBackupException("truncated backup: the file ends inside its header after " + actual + " bytes");
    }

    private static InvalidBackupException truncated(long actual, long expected) {
        return new InvalidBackupException("truncated backup: " + actual + " bytes, its header says " + expected);
    }
}
