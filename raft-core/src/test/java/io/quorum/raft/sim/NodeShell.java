package io.quorum.raft.sim;

import io.quorum.raft.protocol.Entry;
import io.quorum.raft.protocol.EntryType;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.RaftConfig;
import io.quorum.raft.protocol.ReadState;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.storage.MemoryStorage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A test shell for one node: the protocol instance, its disk ({@link MemoryStorage}) and its state
 * machine, carrying out each {@link Ready} in the order the Ready contract prescribes. The phases
 * are separate methods so a simulation can crash a node between any two of them: after the early
 * messages left but before anything was persisted, after a torn write, or after the persist but
 * before the acknowledgements were sent.
 *
 * <p>A crash discards the protocol instance, the Ready in progress, the state machine and the
 * pending reads; the storage object is the disk and survives. Restart builds a new {@link Raft} on
 * the same storage and restores the state machine from the storage's snapshot.
 */
public final class NodeShell {

    private final String id;
    private final RaftConfig config;
    private final MemoryStorage storage;
    private final SimStateMachine stateMachine;
    private final Consumer<Message> outbox;
    private final ShellObserver observer;
    private final SplittableRandom random;

    private Raft raft;
    private Ready inProgress;
    private boolean persisted;
    private long appliedIndex;
    private final List<ReadState> waitingReads = new ArrayList<>();

    public NodeShell(String id, RaftConfig config, MemoryStorage storage, SimStateMachine stateMachine,
                     long randomSeed, Consumer<Message> outbox, ShellObserver observer) {
        this.id = id;
        this.config = config;
        this.storage = storage;
        this.stateMachine = stateMachine;
        this.outbox = outbox;
        this.observer = observer;
        this.random = new SplittableRandom(randomSeed);
        start();
    }

    private void start() {
        stateMachine.restore(storage.snapshot().data());
        appliedIndex = storage.snapshotMeta().index();
        raft = new Raft(config, storage, random.split());
    }

    public String id() {
        return id;
    }

    public boolean isUp() {
        return raft != null;
    }

    /** The live protocol instance. @throws IllegalStateException when the node is down */
    public Raft raft() {
        if (raft == null) {
            throw new IllegalStateException("node " + id + " is down");
        }
        return raft;
    }

    public MemoryStorage storage() {
        return storage;
    }

    public SimStateMachine stateMachine() {
        return stateMachine;
    }

    public RaftConfig config() {
        return config;
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    /** Whether a Ready has been taken and not yet acknowledged. */
    public boolean busy() {
        return inProgress != null;
    }

    public Ready inProgress() {
        return inProgress;
    }

    /** Whether there is a Ready to take now. */
    public boolean readyAvailable() {
        return raft != null && inProgress == null && raft.hasReady();
    }

    /** Runs every phase of every available Ready until the protocol has nothing more to say. */
    public void processAll() {
        while (readyAvailable()) {
            begin();
            persist();
            finish();
        }
    }

    /** Phase 1: takes the Ready and sends its early messages (the leader's appends). */
    public Ready begin() {
        if (!readyAvailable()) {
            throw new IllegalStateException("no Ready available on " + id);
        }
        inProgress = raft.ready();
        persisted = false;
        inProgress.earlyMessages().forEach(outbox);
        return inProgress;
    }

    /** Phase 2: makes the snapshot, entries and hard state durable. */
    public void persist() {
        persistTorn(inProgress.entries().size(), true);
    }

    /**
     * Phase 2 cut short, as by a crash in the middle of the write: only the first
     * {@code entriesToWrite} entries reach the disk, and the hard state only when asked. Nothing of
     * the Ready has been acknowledged yet, so losing the rest is allowed.
     */
    public void persistTorn(int entriesToWrite, boolean writeHardState) {
        Ready ready = requireInProgress();
        if (persisted) {
            throw new IllegalStateException("Ready already persisted on " + id);
        }
        if (ready.snapshot() != null) {
            storage.installSnapshotAndSync(ready.snapshot());
        }
        List<Entry> entries = ready.entries().subList(0, entriesToWrite);
        storage.appendAndSync(entries);
        boolean hardStateWritten = writeHardState && entriesToWrite == ready.entries().size() && ready.hardState() != null;
        if (hardStateWritten) {
            storage.saveHardStateAndSync(ready.hardState());
        }
        persisted = true;
        observer.persisted(this, ready, entriesToWrite, hardStateWritten);
    }

    /** Phase 3 and 4: sends the acknowledgements, applies, serves reads and advances. */
    public void finish() {
        Ready ready = requireInProgress();
        if (!persisted) {
            throw new IllegalStateException("Ready not persisted on " + id);
        }
        ready.messages().forEach(outbox);
        if (ready.snapshot() != null && ready.snapshot().meta().index() > appliedIndex) {
            stateMachine.restore(ready.snapshot().data());
            appliedIndex = ready.snapshot().meta().index();
            observer.restored(this, ready.snapshot().meta(), stateMachine.fingerprint());
        }
        for (Entry entry : ready.committedEntries()) {
            if (entry.index() <= appliedIndex) {
                continue;
            }
            if (entry.index() != appliedIndex + 1) {
                throw new IllegalStateException("node " + id + " asked to apply " + entry.index() + " after " + appliedIndex);
            }
            if (entry.type() == EntryType.NORMAL) {
                stateMachine.apply(entry.index(), entry.data());
            }
            appliedIndex = entry.index();
            observer.applied(this, entry, stateMachine.fingerprint());
        }
        waitingReads.addAll(ready.readStates());
        serveReads();
        inProgress = null;
        raft.advance(ready);
        observer.advanced(this, ready);
    }

    private void serveReads() {
        Iterator<ReadState> it = waitingReads.iterator();
        while (it.hasNext()) {
            ReadState state = it.next();
            if (state.index() <= appliedIndex) {
                it.remove();
                observer.readServable(this, state);
            }
        }
    }

    private Ready requireInProgress() {
        if (inProgress == null) {
            throw new IllegalStateException("no Ready in progress on " + id);
        }
        return inProgress;
    }

    /** Loses everything volatile: the protocol instance, the Ready in progress, the state machine's state, waiting reads. */
    public void crash() {
        raft = null;
        inProgress = null;
        persisted = false;
        waitingReads.clear();
    }

    /** Starts a new protocol instance on the same disk. */
    public void restart() {
        if (raft != null) {
            throw new IllegalStateException("node " + id + " is up");
        }
        start();
    }
}
