package io.quorum.raft.sim;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.HardState;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.sim.SimCluster.CrashMode;
import io.quorum.raft.storage.MemoryStorage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The safety properties of Raft (§5.2–§5.4, Figure 3), checked incrementally after every step of a
 * simulation, plus the shell-level promises the protocol makes through its Readys:
 * <ul>
 *   <li>election safety: at most one leader per term, over the whole run;</li>
 *   <li>a leader advances its commit index only to an entry of its own term (§5.4.2, Figure 8);</li>
 *   <li>log matching: two logs holding an entry with the same index and term hold the same entry
 *       and the same entry before it (so, inductively, the same prefix);</li>
 *   <li>leader completeness / state machine safety: every applied entry equals the entry every
 *       other node applied at that index, a new leader's log holds every entry applied anywhere,
 *       and equal applied indexes mean equal state machine fingerprints;</li>
 *   <li>commit index never decreases on a running node, and a restarted node starts no lower than
 *       its durable commit; durable term never decreases and a durable vote never changes within a
 *       term.</li>
 * </ul>
 * Checks are incremental (each persisted entry, applied entry or role change is checked once) so
 * that the checker can run after every step of hundreds of seeds.
 */
public final class InvariantChecker implements ShellObserver {

    private record Position(long index, long term) {
    }

    private record Seen(Entry entry, long previousTerm) {
    }

    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final Map<Position, Seen> entriesSeen = new HashMap<>();
    private final Map<Long, Entry> applied = new HashMap<>();
    private final Map<Long, Long> fingerprintAt = new HashMap<>();
    private final Map<String, Long> commitFloor = new HashMap<>();
    /** Per node, the term it led at the previous step (null when not leading). */
    private final Map<String, Long> ledTerm = new HashMap<>();
    private final Map<String, HardState> durable = new HashMap<>();
    private final Set<String> leaderChecked = new HashSet<>();
    private final List<String> violations = new ArrayList<>();
    /** Commit progress: key = a commit index first seen, value = the term of the node that had it; covers (previous key, key]. */
    private final TreeMap<Long, Long> committedInTerm = new TreeMap<>();
    private long maxCommitSeen;
    private long maxApplied;

    public List<String> violations() {
        return violations;
    }

    private void violation(String text) {
        if (violations.size() < 20) {
            violations.add(text);
        }
    }

    /** After every step: leaders per term and commit indexes of running nodes. */
    public void afterStep(SimCluster cluster) {
        for (NodeShell node : cluster.nodes()) {
            if (!node.isUp()) {
                continue;
            }
            Raft raft = node.raft();
            long commit = raft.commitIndex();
            Long floor = commitFloor.get(node.id());
            if (floor != null && commit < floor) {
                violation("commit index of " + node.id() + " went back from " + floor + " to " + commit);
            }
            Long leadership = raft.role() == Role.LEADER ? raft.term() : null;
            if (leadership != null && leadership.equals(ledTerm.get(node.id())) && floor != null && commit > floor) {
                long termAtCommit = raft.termAt(commit);
                // §5.4.2: a leader commits by counting replicas only an entry of its own term (Figure 8).
                if (termAtCommit != 0 && termAtCommit != raft.term()) {
                    violation("leader " + node.id() + " of term " + raft.term() + " advanced its commit index to " + commit
                            + ", an entry of term " + termAtCommit);
                }
            }
            ledTerm.put(node.id(), leadership);
            commitFloor.put(node.id(), commit);
            if (commit > maxCommitSeen) {
                committedInTerm.put(commit, raft.term());
                maxCommitSeen = commit;
            }
            if (raft.role() == Role.LEADER) {
                String previous = leaderOfTerm.putIfAbsent(raft.term(), node.id());
                if (previous != null && !previous.equals(node.id())) {
                    violation("two leaders in term " + raft.term() + ": " + previous + " and " + node.id());
                }
            }
        }
    }

    /** A crash keeps nothing volatile; the restarted node must not start below its durable commit. */
    public void crashed(String id, CrashMode mode) {
        commitFloor.remove(id);
        leaderChecked.removeIf(key -> key.startsWith(id + "@"));
    }

    public void restarted(NodeShell node) {
        MemoryStorage disk = node.storage();
        long floor = Math.max(disk.hardState().commit(), disk.snapshotMeta().index());
        long commit = node.raft().commitIndex();
        if (commit < floor) {
            violation("node " + node.id() + " restarted with commit " + commit + " below its durable commit " + floor);
        }
        commitFloor.put(node.id(), commit);
    }

    @Override
    public void persisted(NodeShell node, Ready ready, int entriesWritten, boolean hardStateWritten) {
        MemoryStorage disk = node.storage();
        for (Entry e : ready.entries().subList(0, entriesWritten)) {
            long previousTerm = e.index() - 1 >= disk.firstIndex() - 1 ? disk.term(e.index() - 1) : -1;
            Seen seen = entriesSeen.putIfAbsent(new Position(e.index(), e.term()), new Seen(e, previousTerm));
            if (seen != null && (!seen.entry().equals(e) || (previousTerm >= 0 && seen.previousTerm() >= 0 && seen.previousTerm() != previousTerm))) {
                violation("log matching: node " + node.id() + " holds " + MessageText.entry(e) + " after term " + previousTerm
                        + ", another log held " + MessageText.entry(seen.entry()) + " after term " + seen.previousTerm());
            }
        }
        if (ready.snapshot() != null) {
            checkSnapshot(node.id(), ready.snapshot().meta());
        }
        if (hardStateWritten) {
            checkHardState(node.id(), ready.hardState());
        }
    }

    private void checkHardState(String id, HardState next) {
        HardState before = durable.put(id, next);
        if (before == null) {
            return;
        }
        if (next.term() < before.term()) {
            violation("durable term of " + id + " went back from " + before.term() + " to " + next.term());
        } else if (next.term() == before.term() && before.votedFor() != null && !before.votedFor().equals(next.votedFor())) {
            violation("node " + id + " changed its vote in term " + next.term() + " from " + before.votedFor() + " to " + next.votedFor());
        }
    }

    private void checkSnapshot(String id, SnapshotMeta meta) {
        Entry at = applied.get(meta.index());
        if (at != null && at.term() != meta.term()) {
            violation("node " + id + " received snapshot " + meta.term() + "/" + meta.index() + " but the entry applied there is "
                    + MessageText.entry(at));
        }
    }

    @Override
    public void applied(NodeShell node, Entry entry, long fingerprint) {
        Entry before = applied.putIfAbsent(entry.index(), entry);
        if (before != null && !before.equals(entry)) {
            violation("state machine safety: node " + node.id() + " applied " + MessageText.entry(entry) + " where another node applied "
                    + MessageText.entry(before));
        }
        maxApplied = Math.max(maxApplied, entry.index());
        checkFingerprint(node.id(), entry.index(), fingerprint);
    }

    @Override
    public void restored(NodeShell node, SnapshotMeta meta, long fingerprint) {
        checkSnapshot(node.id(), meta);
        checkFingerprint(node.id(), meta.index(), fingerprint);
    }

    private void checkFingerprint(String id, long index, long fingerprint) {
        Long before = fingerprintAt.putIfAbsent(index, fingerprint);
        if (before != null && before != fingerprint) {
            violation("node " + id + " has a different state machine at applied index " + index);
        }
    }

    /** Leader completeness, checked once per leadership when the new leader's first Ready is durable. */
    @Override
    public void advanced(NodeShell node, Ready ready) {
        Raft raft = node.raft();
        // With a further Ready pending, the disk may not yet hold the log the leader was elected with.
        if (raft.role() != Role.LEADER || raft.hasReady() || !leaderChecked.add(node.id() + "@" + raft.term())) {
            return;
        }
        // §5.4: a leader of term T holds every entry committed in an earlier term.
        long mustHold = 0;
        for (Map.Entry<Long, Long> committed : committedInTerm.entrySet()) {
            if (committed.getValue() < raft.term()) {
                mustHold = Math.max(mustHold, committed.getKey());
            }
        }
        if (raft.lastIndex() < mustHold) {
            violation("leader completeness: " + node.id() + " leads term " + raft.term() + " with last index " + raft.lastIndex()
                    + " below the index " + mustHold + " committed in an earlier term");
        }
        MemoryStorage disk = node.storage();
        long to = Math.min(Math.min(disk.lastIndex(), maxApplied), mustHold);
        for (long i = disk.firstIndex(); i <= to; i++) {
            Entry committed = applied.get(i);
            if (committed != null && disk.term(i) != committed.term()) {
                violation("leader completeness: " + node.id() + " leads term " + raft.term() + " with term " + disk.term(i) + " at index " + i
                        + " where " + MessageText.entry(committed) + " was applied");
                return;
            }
        }
    }
}
