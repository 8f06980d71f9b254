package io.quorum.server;

import io.quorum.coord.CoordConfig;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.MalformedPayloadException;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.storage.DurableStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Turns a backup ({@link BackupFile}) into a fresh data dir, as {@code quorum snapshot restore}.
 *
 * <p>The data dir gets what a node would hold after installing a leader's snapshot at the
 * backup's index and term: the snapshot (the backup's state) and a hard state of that term,
 * committed up to that index, voted for nobody. A server started on it serves exactly the
 * backed-up state, and the log continues after the backup's index, so new sessions and fencing
 * tokens (Raft indexes) are above every one in the backup.
 *
 * <p><b>Membership.</b> The restored dir carries the members given at restore time (id to Raft
 * address), or, when none are given, the backup's own membership. A server started on a
 * non-empty data dir ignores its {@code --members}: the restore decides. Every member of a
 * restored cluster is restored from the same file (as etcd does), so all start from the same
 * index, term and state; a member restored from another backup, or started empty, would hold a
 * different history under the same indexes.
 */
public final class SnapshotRestore {

    private SnapshotRestore() {}

    /** What a restore wrote. */
    public record Restored(long index, long term, Membership membership) {}

    /**
     * Restores {@code backupFile} into {@code dataDir}, which must be absent or empty.
     *
     * @param members the restored cluster's voters, id to Raft address; null or empty: the backup's
     * @throws InvalidBackupException when the file is not a complete, intact backup
     * @throws IllegalArgumentException when the data dir is not empty or no membership is known
     * @throws IOException when the file cannot be read or the data dir written
     */
    public static Restored restore(Path backupFile, Path dataDir, SortedMap<String, String> members) throws IOException {
        Snapshot backup = BackupFile.decode(Files.readAllBytes(backupFile));
        requireCoordinationState(backup);
        Membership membership = members == null || members.isEmpty() ? backup.meta().membership()
                : Membership.ofVoters(members);
        if (membership.voters().isEmpty()) {
            throw new IllegalArgumentException("the backup names no members; give them with --members");
        }
        requireEmpty(dataDir);
        SnapshotMeta meta = new SnapshotMeta(backup.meta().index(), backup.meta().term(), membership,
                backup.data().length);
        try (DurableStorage storage = DurableStorage.open(dataDir)) {
            storage.installSnapshotAndSync(new Snapshot(meta, backup.data()));
            storage.saveHardStateAndSync(new HardState(meta.term(), null, meta.index()));
        }
        return new Restored(meta.index(), meta.term(), membership);
    }

    /** The checksum proves the bytes are what was sent; this proves this build can read them. */
    private static void requireCoordinationState(Snapshot backup) {
        CoordStateMachine machine = new CoordStateMachine(CoordConfig.DEFAULTS);
        try {
            machine.restore(backup.data());
        } catch (MalformedPayloadException e) {
            throw new InvalidBackupException("the backup's state does not decode: " + e.getMessage());
        }
        if (machine.appliedIndex() > backup.meta().index()) {
            throw new InvalidBackupException("the backup's state is at index " + machine.appliedIndex()
                    + ", after the index " + backup.meta().index() + " it claims");
        }
    }

    private static void requireEmpty(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            return;
        }
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("data dir " + dataDir + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("data dir " + dataDir + " is not empty; restore needs a fresh one");
            }
        }
    }
}
