package io.quorum.raft.protocol;

import io.quorum.raft.protocol.Message.AppendEntries;
import io.quorum.raft.protocol.Message.Heartbeat;
import io.quorum.raft.protocol.Message.InstallSnapshot;

import java.util.List;
import java.util.Map;

/**
 * The leader's sending side: appends, heartbeats and snapshot chunks to each member, within each
 * member's flow-control window. Proposals only mark the log dirty; the appends go out when the
 * shell next collects a Ready, so every proposal made in between travels in one message per
 * follower.
 */
final class Replicator {

    private final Raft raft;
    private final RaftConfig config;
    private final RaftStorage storage;
    private boolean dirty;

    Replicator(Raft raft, RaftConfig config, RaftStorage storage) {
        this.raft = raft;
        this.config = config;
        this.storage = storage;
    }

    void markDirty() {
        dirty = true;
    }

    void flushDirty() {
        if (dirty) {
            dirty = false;
            broadcastAppend(false);
        }
    }

    /** Sends what each member is missing; with {@code sendIfEmpty}, members that miss nothing get the commit index. */
    void broadcastAppend(boolean sendIfEmpty) {
        for (Map.Entry<String, Progress> e : raft.progress.entrySet()) {
            if (!e.getKey().equals(raft.id())) {
                sendAppend(e.getKey(), e.getValue(), sendIfEmpty);
            }
        }
    }

    void broadcastHeartbeat(long readContext) {
        long commit = raft.log.committed();
        for (Map.Entry<String, Progress> e : raft.progress.entrySet()) {
            if (!e.getKey().equals(raft.id())) {
                // Never tell a member to commit past what it is known to hold.
                long memberCommit = Math.min(e.getValue().match(), commit);
                raft.send(new Heartbeat(raft.id(), e.getKey(), raft.currentTerm(), memberCommit, readContext));
            }
        }
    }

    void sendAppend(String to, Progress pr, boolean sendIfEmpty) {
        if (pr.isPaused()) {
            return;
        }
        RaftLog log = raft.log;
        long prevIndex = pr.next() - 1;
        long prevTerm;
        List<Entry> entries;
        try {
            prevTerm = log.term(prevIndex);
            entries = log.entries(pr.next(), log.lastIndex() + 1, config.maxAppendBytes());
        } catch (CompactedException e) {
            // §7: the member needs entries we no longer hold; send the snapshot instead.
            pr.becomeSnapshot(storage.snapshotMeta().index());
            sendSnapshotChunk(to, pr);
            return;
        }
        if (entries.isEmpty() && !sendIfEmpty) {
            return;
        }
        raft.send(new AppendEntries(raft.id(), to, raft.currentTerm(), prevIndex, prevTerm, entries, log.committed()));
        if (entries.isEmpty()) {
            pr.sentProbe();
        } else {
            pr.sentEntries(entries.get(entries.size() - 1).index());
        }
    }

    void sendSnapshotChunk(String to, Progress pr) {
        if (!pr.canSendSnapshotChunk()) {
            return;
        }
        SnapshotMeta meta = storage.snapshotMeta();
        if (meta.index() != pr.pendingSnapshotIndex()) {
            // A newer snapshot replaced the one being sent: start over with it.
            pr.becomeSnapshot(meta.index());
        }
        long offset = pr.snapshotOffset();
        byte[] chunk = storage.readSnapshotChunk(offset, config.maxSnapshotChunkBytes());
        boolean last = offset + chunk.length >= meta.sizeBytes();
        raft.send(new InstallSnapshot(raft.id(), to, raft.currentTerm(), meta, offset, chunk, last));
        pr.snapshotChunkSent();
    }
}
