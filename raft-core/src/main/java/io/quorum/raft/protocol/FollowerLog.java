package io.quorum.raft.protocol;

import io.quorum.raft.protocol.Message.AppendEntries;
import io.quorum.raft.protocol.Message.AppendResponse;
import io.quorum.raft.protocol.Message.Heartbeat;
import io.quorum.raft.protocol.Message.HeartbeatResponse;
import io.quorum.raft.protocol.Message.InstallSnapshot;
import io.quorum.raft.protocol.Message.InstallSnapshotResponse;

/**
 * A follower's side of replication: how the log and the configuration history change on an
 * append, a heartbeat or a snapshot chunk from the leader of the current term, and what to answer.
 * Called only after the shared term check, with the sender known to be that leader. Answers go in
 * the Ready's after-persist messages: each promises that the log it describes is durable.
 */
final class FollowerLog {

    private final String id;
    private final RaftLog log;
    private final ConfigHistory configs;
    private final SnapshotReceiver snapshotReceiver = new SnapshotReceiver();

    FollowerLog(String id, RaftLog log, ConfigHistory configs) {
        this.id = id;
        this.log = log;
        this.configs = configs;
    }

    Message onAppend(AppendEntries m, long term) {
        if (m.prevLogIndex() < log.committed()) {
            return new AppendResponse(id, m.from(), term, true, log.committed(), 0, 0, 0);
        }
        // §5.3: accept only when our log holds prevLogIndex with prevLogTerm (the log matching property).
        if (!log.matchTerm(m.prevLogIndex(), m.prevLogTerm())) {
            // Fast backtracking: point the leader at our last entry whose term is not newer than
            // prevLogTerm, so it skips a whole conflicting term per round trip.
            long hintIndex = log.findConflictByTerm(Math.min(m.prevLogIndex(), log.lastIndex()), m.prevLogTerm());
            return new AppendResponse(id, m.from(), term, false, 0, m.prevLogIndex(), hintIndex, termOrZero(hintIndex));
        }
        long lastNew = m.prevLogIndex() + m.entries().size();
        long firstWritten = log.appendFollowing(m.entries());
        if (firstWritten > 0) {
            // Thesis §4.1: configurations count from the moment they are in the log, so a replaced
            // suffix takes its configurations with it.
            configs.truncateFrom(firstWritten);
            for (Entry e : m.entries()) {
                if (e.index() >= firstWritten && e.type() == EntryType.CONFIG_CHANGE) {
                    configs.record(e.index(), e.data());
                }
            }
        }
        log.commitTo(Math.min(m.leaderCommit(), lastNew));
        return new AppendResponse(id, m.from(), term, true, lastNew, 0, 0, 0);
    }

    Message onHeartbeat(Heartbeat m, long term) {
        log.commitTo(Math.min(m.commit(), log.lastIndex()));
        return new HeartbeatResponse(id, m.from(), term, m.readContext());
    }

    Message onSnapshotChunk(InstallSnapshot m, long term) {
        SnapshotMeta meta = m.meta();
        if (meta.index() <= log.committed()) {
            return new AppendResponse(id, m.from(), term, true, log.committed(), 0, 0, 0);
        }
        Snapshot complete = snapshotReceiver.receive(m);
        if (complete == null) {
            return new InstallSnapshotResponse(id, m.from(), term, meta.index(), snapshotReceiver.nextOffset(), false);
        }
        if (log.matchTerm(meta.index(), meta.term())) {
            // §7: our log already holds the snapshot's last entry; keep the entries after it.
            log.commitTo(meta.index());
        } else {
            log.restore(complete);
            configs.reset(meta.membership());
        }
        return new InstallSnapshotResponse(id, m.from(), term, meta.index(), meta.sizeBytes(), true);
    }

    private long termOrZero(long index) {
        try {
            return log.term(index);
        } catch (CompactedException e) {
            return 0;
        }
    }
}
