package io.quorum.raft.protocol;

import io.quorum.raft.storage.MemoryStorage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A few protocol instances wired by an in-memory, in-order network that the test drives by hand:
 * the smallest harness for unit tests of single protocol rules.
 */
final class MiniCluster {

    final Map<String, Raft> nodes = new LinkedHashMap<>();
    final Map<String, MemoryStorage> disks = new LinkedHashMap<>();
    final Map<String, List<Entry>> applied = new LinkedHashMap<>();
    final Map<String, List<ReadState>> reads = new LinkedHashMap<>();
    final Deque<Message> network = new ArrayDeque<>();
    final Set<String> isolated = new HashSet<>();
    private final RandomGenerator random = new SplittableRandom(7);
    private final UnaryOperator<RaftConfig> tweak;

    MiniCluster(int size) {
        this(size, c -> c);
    }

    MiniCluster(int size, UnaryOperator<RaftConfig> tweak) {
        this.tweak = tweak;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add(String.valueOf(i));
        }
        SnapshotMeta bootstrap = new SnapshotMeta(1, 1, Membership.ofVoters(ids), 0);
        for (String id : ids) {
            disks.put(id, MemoryStorage.bootstrapped(bootstrap));
            start(id);
        }
    }

    void start(String id) {
        nodes.put(id, new Raft(tweak.apply(RaftConfig.defaults(id)), disks.get(id), random));
        applied.computeIfAbsent(id, k -> new ArrayList<>());
        reads.computeIfAbsent(id, k -> new ArrayList<>());
    }

    void addEmptyNode(String id) {
        disks.put(id, new MemoryStorage());
        start(id);
    }

    Raft node(String id) {
        return nodes.get(id);
    }

    /** Processes every node's Ready and delivers messages until nothing moves. */
    void stabilize() {
        for (int round = 0; round < 10_000; round++) {
            boolean moved = false;
            for (Map.Entry<String, Raft> e : nodes.entrySet()) {
                Raft raft = e.getValue();
                while (raft.hasReady()) {
                    moved = true;
                    processReady(e.getKey(), raft);
                }
            }
            while (!network.isEmpty()) {
                moved = true;
                Message m = network.poll();
                if (isolated.contains(m.from()) || isolated.contains(m.to()) || !nodes.containsKey(m.to())) {
                    continue;
                }
                nodes.get(m.to()).step(m);
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("cluster did not stabilize");
    }

    private void processReady(String id, Raft raft) {
        Ready ready = raft.ready();
        MemoryStorage disk = disks.get(id);
        network.addAll(ready.earlyMessages());
        if (ready.snapshot() != null) {
            disk.installSnapshotAndSync(ready.snapshot());
        }
        disk.appendAndSync(ready.entries());
        if (ready.hardState() != null) {
            disk.saveHardStateAndSync(ready.hardState());
        }
        network.addAll(ready.messages());
        if (ready.snapshot() != null) {
            applied.get(id).clear();
        }
        applied.get(id).addAll(ready.committedEntries());
        reads.get(id).addAll(ready.readStates());
        raft.advance(ready);
    }

    void tickAll(int ticks) {
        for (int i = 0; i < ticks; i++) {
            nodes.values().forEach(Raft::tick);
            stabilize();
        }
    }

    /** Ticks the given node past any randomized election timeout, then lets the cluster settle. */
    void elect(String id) {
        nodes.get(id).campaign();
        stabilize();
    }

    List<byte[]> appliedCommands(String id) {
        List<byte[]> out = new ArrayList<>();
        for (Entry e : applied.get(id)) {
            if (e.type() == EntryType.NORMAL) {
                out.add(e.data());
            }
        }
        return out;
    }
}
