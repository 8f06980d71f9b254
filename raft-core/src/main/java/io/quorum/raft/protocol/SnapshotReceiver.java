package io.quorum.raft.protocol;

import io.quorum.raft.protocol.Message.InstallSnapshot;

import java.io.ByteArrayOutputStream;

/**
 * A follower's assembly of InstallSnapshot chunks. Chunks must arrive in order; a duplicate or
 * out-of-order chunk is answered with the offset expected next, and a chunk of another snapshot
 * at offset 0 starts over. The state machine is small by design, so the snapshot is assembled in
 * memory and handed to the shell whole, in a Ready.
 */
final class SnapshotReceiver {

    private SnapshotMeta meta;
    private ByteArrayOutputStream buffer;

    /** @return the complete snapshot when {@code chunk} finished it, else null */
    Snapshot receive(InstallSnapshot chunk) {
        if (chunk.offset() == 0) {
            meta = chunk.meta();
            buffer = new ByteArrayOutputStream();
        } else if (meta == null || !meta.equals(chunk.meta())) {
            reset();
            return null;
        } else if (buffer.size() != chunk.offset()) {
            return null;
        }
        buffer.writeBytes(chunk.chunk());
        if (buffer.size() > meta.sizeBytes()) {
            reset();
            return null;
        }
        if (chunk.last()) {
            Snapshot complete = buffer.size() == meta.sizeBytes() ? new Snapshot(meta, buffer.toByteArray()) : null;
            reset();
            return complete;
        }
        return null;
    }

    long nextOffset() {
        return buffer == null ? 0 : buffer.size();
    }

    private void reset() {
        meta = null;
        buffer = null;
    }
}
