package io.quorum.raft.storage;

import io.quorum.raft.protocol.HardState;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The hard state in a file of its own, {@code hardstate}, replaced atomically through
 * {@link AtomicFile} on every change:
 * <pre>
 *   int   magic 0x51524853 ("QRHS")
 *   int   format version (1)
 *   long  term
 *   long  commit
 *   int   length of votedFor in UTF-8 bytes, -1 for nobody
 *   ...   votedFor
 *   int   CRC32C of everything before it
 * </pre>
 * A crash leaves the old file or the new one (plus perhaps {@code hardstate.tmp}, deleted at
 * start-up). A checksum mismatch in {@code hardstate} itself can only be media corruption: start-up
 * stops. Rejected alternative: hard state records inside the log (etcd's WAL), which saves the
 * rename but makes every log reader understand two record kinds.
 */
final class HardStateFile {

    static final String NAME = "hardstate";
    private static final int MAGIC = 0x51524853;
    private static final int VERSION = 1;

    private final StorageFiles files;
    private final Path path;
    private HardState current;

    private HardStateFile(StorageFiles files, Path path, HardState current) {
        this.files = files;
        this.path = path;
        this.current = current;
    }

    /** Loads the hard state in {@code dir}; {@link HardState#EMPTY} when there is none yet. */
    static HardStateFile open(StorageFiles files, Path dir) throws IOException {
        Path path = dir.resolve(NAME);
        AtomicFile.deleteLeftover(files, path);
        boolean exists = files.list(dir).stream().anyMatch(p -> p.getFileName().toString().equals(NAME));
        if (!exists) {
            return new HardStateFile(files, path, HardState.EMPTY);
        }
        byte[] bytes;
        try (StorageFile file = files.open(path)) {
            bytes = new byte[(int) Math.min(file.size(), 1 << 16)];
            file.readFully(ByteBuffer.wrap(bytes), 0);
        }
        return new HardStateFile(files, path, decode(path, bytes));
    }

    HardState current() {
        return current;
    }

    /** Durably replaces the hard state; a no-op when it is unchanged. */
    void saveAndSync(HardState state) throws IOException {
        if (state.equals(current)) {
            return;
        }
        AtomicFile.replace(files, path, AtomicFile.of(encode(state)));
        current = state;
    }

    private static ByteBuffer encode(HardState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(state.term());
        out.writeLong(state.commit());
        if (state.votedFor() == null) {
            out.writeInt(-1);
        } else {
            byte[] vote = state.votedFor().getBytes(StandardCharsets.UTF_8);
            out.writeInt(vote.length);
            out.write(vote);
        }
        byte[] body = bytes.toByteArray();
        out.writeInt(SegmentFormat.crc(body, 0, body.length));
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    private static HardState decode(Path path, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.getInt() != MAGIC || in.getInt() != VERSION) {
                throw new StorageCorruptedException(path, 0, "not a hard state file");
            }
            long term = in.getLong();
            long commit = in.getLong();
            int voteLength = in.getInt();
            if (voteLength < -1 || voteLength > in.remaining() - 4) {
                throw new StorageCorruptedException(path, 24, "bad vote length " + voteLength);
            }
            String votedFor = null;
            if (voteLength >= 0) {
                votedFor = new String(bytes, in.position(), voteLength, StandardCharsets.UTF_8);
                in.position(in.position() + voteLength);
            }
            int end = in.position();
            if (in.getInt() != SegmentFormat.crc(bytes, 0, end)) {
                throw new StorageCorruptedException(path, end, "hard state fails its checksum");
            }
            return new HardState(term, votedFor, commit);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new StorageCorruptedException(path, in.position(), "hard state is truncated or invalid: " + e);
        }
    }
}
