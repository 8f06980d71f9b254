package io.quorum.raft.node;

import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.Message;
import io.quorum.raft.protocol.ProposalRejectedException;
import io.quorum.raft.protocol.Raft;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.RaftStorage;
import io.quorum.raft.protocol.ReadState;
import io.quorum.raft.protocol.Ready;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.protocol.Snapshot;
import io.quorum.raft.protocol.SnapshotMeta;
import io.quorum.raft.storage.DurableStorage;
import io.quorum.raft.transport.AdminOp;
import io.quorum.raft.transport.ForwardStatus;
import io.quorum.raft.transport.PeerMessage;
import io.quorum.raft.transport.PeerTls;
import io.quorum.raft.transport.TcpTransport;
import io.quorum.raft.transport.Transport;
import io.quorum.raft.transport.TransportConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A running Raft node: the imperative shell around the pure {@link Raft} (ARCHITECTURE.md rule 2).
 *
 * <p>Three threads, each with one job:
 * <ul>
 *   <li>the <b>protocol thread</b> owns the {@link Raft} instance: ticks, messages, proposals and
 *       reads all run there, one at a time, so the protocol needs no lock;</li>
 *   <li>the <b>storage thread</b> ({@link StorageWriter}) makes each Ready durable. While one write
 *       and its fsync run, the protocol keeps stepping; everything that arrives meanwhile goes into
 *       the next Ready, so one fsync covers it all (group commit);</li>
 *   <li>the <b>apply thread</b> runs the {@link StateMachine} ({@link Applier}).</li>
 * </ul>
 * A Ready's early messages (the leader's appends) leave before its write starts, so the leader's
 * fsync overlaps the followers' (thesis §10.2.1); everything else is sent once the write is durable,
 * by the storage thread itself: a follower's acknowledgement leaves right after its fsync instead of
 * waiting for the protocol thread to wake up (the transport's {@code send} is thread-safe, and no
 * Ready is collected before the previous one is handed back, so messages keep their order).
 *
 * <p>Storage is read by the protocol thread while the storage thread writes; whatever storage is
 * given is wrapped in a {@link SynchronizedStorage} to make that safe.
 *
 * <p>Public methods are thread-safe and never block (except {@link #close()}); they return futures.
 */
public final class RaftNode<R> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

    private final RaftNodeConfig config;
    private final String id;
    private final SynchronizedStorage storage;
    private final Transport transport;
    private final LongSupplier clockMillis;
    private final ScheduledExecutorService protocolThread;
    private final ExecutorService storageThread;
    private final StorageWriter writer;
    private final ExecutorService applyThread;
    private final MetricsRelay metrics = new MetricsRelay();
    private final PendingProposals<R> proposals = new PendingProposals<>(metrics);
    private final ReadBarriers reads = new ReadBarriers();
    private final Applier<R> applier;
    private final MembershipAdmin admin;
    private final LeaderAdministration leaderAdministration;
    private final ForwardedRequests forwarded = new ForwardedRequests();
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();

    // Protocol-thread state.
    private Raft raft;
    private boolean persisting;
    private Membership peersKnown;
    private final List<ParkedProposal> waitingForLeader = new ArrayList<>();
    private String seenLeader;
    private long seenTerm;
    private volatile ScheduledFuture<?> ticker;

    private volatile RaftStatus status;
    private volatile boolean stopped;
    private volatile boolean closed;
    private volatile Future<Void> transportClosed;

    /** Told on the protocol thread whenever the known leader or this node's role changes; must not block. */
    public interface LeadershipListener {
        void leadershipChanged(String leaderId, long term, boolean isSelf);
    }

    /**
     * @param transportFactory builds the peer transport given the handler for inbound messages
     */
    public RaftNode(RaftNodeConfig config, RaftStorage storage, StateMachine<R> stateMachine,
                    Function<java.util.function.Consumer<PeerMessage>, Transport> transportFactory, LongSupplier clockMillis) {
        this.config = config;
        this.id = config.raft().id();
        this.storage = SynchronizedStorage.of(storage);
        this.clockMillis = clockMillis;
        this.protocolThread = Executors.newSingleThreadScheduledExecutor(named("raft-" + id));
        this.storageThread = Executors.newSingleThreadExecutor(named("raft-" + id + "-storage"));
        this.writer = new StorageWriter(this.storage, storageThread,
                t -> onProtocolThread(() -> fail("storage write failed", t)), metrics);
        this.applyThread = Executors.newSingleThreadExecutor(named("raft-" + id + "-apply"));
        this.applier = new Applier<>(id, stateMachine, applyThread, proposals, reads, config.snapshotEveryEntries(),
                this.storage.snapshotMeta().index(), this::snapshotTaken);
        this.admin = new MembershipAdmin();
        this.transport = transportFactory.apply(this::receive);
        this.leaderAdministration = new LeaderAdministration(id, admin, transport, this::deadline);
    }

    /**
     * A node on a data directory and a TCP raft address: {@link DurableStorage} in {@code dataDir}
     * (created when new; bootstrapped when {@code config.bootstrap()} is set and the directory is
     * empty) and a {@link TcpTransport} listening on {@code raftHost:raftPort}. {@link #close()}
     * closes both. Call {@link #start()} next.
     *
     * <p>The transport serves its sockets on the Vert.x context current on the calling thread, or
     * on a fresh event-loop context when called from outside Vert.x; either way the inbound handler
     * only hands each message to the protocol thread, so it never blocks that event loop.
     *
     * @throws io.quorum.raft.storage.StorageCorruptedException when the data directory is damaged
     */
    public static <R> RaftNode<R> open(RaftNodeConfig config, Path dataDir, String raftHost, int raftPort,
                                       StateMachine<R> stateMachine, Vertx vertx) {
        return open(config, dataDir, raftHost, raftPort, null, stateMachine, vertx);
    }

    /** As {@link #open(RaftNodeConfig, Path, String, int, StateMachine, Vertx)}, with mutual TLS unless {@code peerTls} is null. */
    public static <R> RaftNode<R> open(RaftNodeConfig config, Path dataDir, String raftHost, int raftPort,
                                       PeerTls peerTls, StateMachine<R> stateMachine, Vertx vertx) {
        DurableStorage storage = DurableStorage.open(dataDir);
        try {
            TransportConfig transportConfig = TransportConfig.defaults(config.raft().id(), raftHost, raftPort)
                    .withTls(peerTls);
            return new RaftNode<>(config, storage, stateMachine,
                    inbound -> new TcpTransport(vertx, transportConfig, inbound, new SplittableRandom()),
                    System::currentTimeMillis);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Opens the node: bootstraps an empty data directory, restores the last snapshot, starts ticking and listening. */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> opened = CompletableFuture.runAsync(this::open, protocolThread);
        return opened.thenCompose(v -> transport.start().toCompletionStage().toCompletableFuture())
                .thenRun(() -> ticker = protocolThread.scheduleAtFixedRate(guarded(this::tick),
                        config.tick().toMillis(), config.tick().toMillis(), TimeUnit.MILLISECONDS));
    }

    private void open() {
        if (config.bootstrap() != null && storage.snapshotMeta().index() == 0 && storage.lastIndex() == 0) {
            // A new cluster's first configuration, as a snapshot at index 1 that later members receive.
            storage.installSnapshotAndSync(new Snapshot(new SnapshotMeta(1, 1, config.bootstrap(), 0), new byte[0]));
        }
        applier.restoreAtStart(readLocalSnapshot());
        raft = new Raft(config.raft(), storage, new SplittableRandom(), storage.snapshotMeta().index());
        updatePeers();
        updateStatus();
        seenLeader = raft.leader();
        seenTerm = raft.term();
    }

    private Snapshot readLocalSnapshot() {
        SnapshotMeta meta = storage.snapshotMeta();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (data.size() < meta.sizeBytes()) {
            byte[] chunk = storage.readSnapshotChunk(data.size(), 1 << 20);
            if (chunk.length == 0) {
                throw new IllegalStateException("snapshot at " + meta.index() + " is shorter than its recorded size " + meta.sizeBytes());
            }
            data.writeBytes(chunk);
        }
        return new Snapshot(meta, data.toByteArray());
    }

    public String id() {
        return id;
    }

    /** The latest status, refreshed after every Ready; never blocks. */
    public RaftStatus status() {
        return status;
    }

    /** The peer transport's counters: messages sent, dropped, and inbound frames rejected by reason. Never blocks. */
    public io.quorum.raft.transport.TransportStats transportStats() {
        return transport.stats();
    }

    /** The index up to which this node's state machine has applied the log. */
    public long appliedIndex() {
        return applier.appliedIndex();
    }

    /** Proposals made on this node that wait for their outcome; bounded by {@code maxPendingProposals}. */
    public int pendingProposals() {
        return proposals.size();
    }

    /**
     * Reports this node's fsyncs, proposal outcomes and snapshots to {@code observer} from now on
     * (set it before {@link #start()} to see everything); the callbacks must not block.
     */
    public void setMetrics(NodeMetrics observer) {
        metrics.setTarget(observer);
    }

    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    // ---- proposals ----

    /**
     * Replicates a command and applies it. Completes with the state machine's result once this node
     * has applied it, or fails with a {@link NodeException}.
     */
    public CompletableFuture<R> propose(byte[] command) {
        if (stopped) {
            metrics.proposalFailed(NodeException.Kind.STOPPED);
            return CompletableFuture.failedFuture(new NodeException(NodeException.Kind.STOPPED, "the node is stopped"));
        }
        if (proposals.size() >= config.maxPendingProposals()) {
            metrics.proposalFailed(NodeException.Kind.OVERLOADED);
            return CompletableFuture.failedFuture(new NodeException(NodeException.Kind.OVERLOADED,
                    proposals.size() + " proposals are already waiting"));
        }
        long requestId = proposals.register(deadline());
        CompletableFuture<R> result = proposals.future(requestId);
        protocolThread.execute(guarded(() -> dispatchProposal(requestId, command)));
        return result;
    }

    private void dispatchProposal(long requestId, byte[] command) {
        if (raft.role() == Role.LEADER) {
            NodeException refused = admissionRefusal();
            if (refused != null) {
                proposals.fail(requestId, refused);
                return;
            }
            try {
                long index = raft.propose(new CommandEnvelope(clockMillis.getAsLong(), id, requestId, command).encode());
                proposals.assigned(requestId, index, applier.appliedIndex());
            } catch (ProposalRejectedException e) {
                proposals.fail(requestId, rejected(e));
            }
            drive();
        } else if (raft.leader() != null) {
            forwarded.proposalSent(requestId, raft.leader(), raft.term());
            transport.send(new PeerMessage.ForwardProposal(id, raft.leader(), requestId, command));
        } else {
            waitingForLeader.add(new ParkedProposal(requestId, command));
        }
    }

    private NodeException admissionRefusal() {
        long uncommitted = raft.lastIndex() - raft.commitIndex();
        if (uncommitted >= config.maxPendingProposals()) {
            return new NodeException(NodeException.Kind.OVERLOADED, uncommitted + " entries are waiting to commit");
        }
        long applyLag = raft.commitIndex() - applier.appliedIndex();
        if (applyLag >= config.maxApplyLag()) {
            return new NodeException(NodeException.Kind.OVERLOADED, applyLag + " committed entries are waiting to be applied");
        }
        return null;
    }

    static NodeException rejected(ProposalRejectedException e) {
        return switch (e.reason()) {
            case NOT_LEADER, NO_LEADER, TRANSFERRING_LEADERSHIP -> new NodeException(NodeException.Kind.NO_LEADER, e.getMessage(), e.leaderHint());
            case CONFIG_CHANGE_NOT_ALLOWED -> new NodeException(NodeException.Kind.OVERLOADED, e.getMessage(), e.leaderHint());
            case INVALID_REQUEST -> new NodeException(NodeException.Kind.INVALID, e.getMessage(), e.leaderHint());
        };
    }

    // ---- linearizable reads ----

    /**
     * Completes, with the applied index, once a read of this node's state machine is linearizable:
     * the leader confirmed its leadership after this call and this node applied up to the leader's
     * commit index at that moment (thesis §6.4). Works on followers too.
     */
    public CompletableFuture<Long> readBarrier() {
        if (stopped) {
            return CompletableFuture.failedFuture(new NodeException(NodeException.Kind.STOPPED, "the node is stopped"));
        }
        CompletableFuture<Long> barrier = new CompletableFuture<>();
        long requestId = reads.register(barrier, deadline());
        protocolThread.execute(guarded(() -> dispatchRead(requestId)));
        return barrier;
    }

    private void dispatchRead(long requestId) {
        // Without a leader the read stays unconfirmed; it is asked again when a leader is known.
        if (raft.leader() != null) {
            raft.readIndex(requestId);
            drive();
        }
    }

    // ---- backups ----

    /**
     * A snapshot of the state machine as applied now, with its index, that index's term and the
     * configuration in force there: what a backup holds. The state machine's {@code snapshot()}
     * runs on the apply thread between two batches (applying waits meanwhile, as for the
     * snapshots the node takes itself); the stored snapshots are not touched. Call it after {@link
     * #readBarrier()} for a backup that reflects every write acknowledged before.
     *
     * <p>Fails with {@link NodeException.Kind#NOT_COMMITTED} (retry-safe) in the rare case that a
     * leader's snapshot replaced the log at that index before its term was read.
     */
    public CompletableFuture<Snapshot> snapshotNow() {
        if (stopped) {
            return CompletableFuture.failedFuture(new NodeException(NodeException.Kind.STOPPED, "the node is stopped"));
        }
        CompletableFuture<Applier.Captured> captured;
        try {
            captured = applier.capture();
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new NodeException(NodeException.Kind.STOPPED, "the node is stopped"));
        }
        return captured.thenCompose(state -> onProtocolThread(() -> {
            long term = state.index() == 0 ? 0 : raft.termAt(state.index());
            if (term == 0) {
                throw new NodeException(NodeException.Kind.NOT_COMMITTED, "the log no longer holds applied index "
                        + state.index() + " (a snapshot replaced it); try again");
            }
            SnapshotMeta meta = new SnapshotMeta(state.index(), term, raft.membershipAt(state.index()), state.data().length);
            return new Snapshot(meta, state.data());
        }));
    }

    // ---- administration ----

    /**
     * Adds a member as a learner; the leader promotes it to voter once it has caught up. Completes
     * with the index of the committed change.
     *
     * <p>Administration works from any node. The leader carries a request out itself; a follower
     * passes it to the leader it knows as a {@link PeerMessage.ForwardAdmin} over the peer
     * transport, as it forwards proposals, and completes its caller with the leader's
     * {@link PeerMessage.AdminResult}. Only the leader may change the configuration, and going
     * through it keeps one place deciding whether another change is still in progress. While no
     * leader is known the request fails at once as {@link NodeException.Kind#NO_LEADER} (nothing
     * was proposed); when the leader changes before it answered, as {@link NodeException.Kind#TIMEOUT}
     * (the change may still commit). Another change still uncommitted fails it as
     * {@link NodeException.Kind#OVERLOADED}; a change that does not fit the configuration as
     * {@link NodeException.Kind#INVALID}.
     */
    public CompletableFuture<Long> addMember(String memberId, String raftAddress) {
        return administer(AdminOp.ADD_MEMBER, memberId, raftAddress);
    }

    /** Removes a voter or learner, from any node as {@link #addMember}; completes with the change's index. */
    public CompletableFuture<Long> removeMember(String memberId) {
        return administer(AdminOp.REMOVE_MEMBER, memberId, "");
    }

    /**
     * Hands leadership to the voter {@code target}, from any node as {@link #addMember}; completes
     * with the term in which {@code target} leads, once this node or the old leader sees it lead.
     */
    public CompletableFuture<Long> transferLeadership(String target) {
        return administer(AdminOp.TRANSFER_LEADERSHIP, target, "");
    }

    private CompletableFuture<Long> administer(AdminOp op, String memberId, String address) {
        Objects.requireNonNull(memberId, "memberId");
        return onProtocolThread(() -> {
            if (raft.role() == Role.LEADER) {
                return leaderAdministration.carryOut(raft, op, memberId, address);
            }
            String leader = raft.leader();
            if (leader == null) {
                return CompletableFuture.<Long>failedFuture(new NodeException(NodeException.Kind.NO_LEADER,
                        "no leader is known; nothing was changed"));
            }
            CompletableFuture<Long> outcome = new CompletableFuture<>();
            long requestId = forwarded.adminSent(leader, raft.term(), op, memberId, deadline(), outcome);
            transport.send(new PeerMessage.ForwardAdmin(id, leader, requestId, op, memberId, address));
            return outcome;
        }).thenCompose(f -> f);
    }

    private <T> CompletableFuture<T> onProtocolThread(java.util.function.Supplier<T> action) {
        if (stopped) {
            return CompletableFuture.failedFuture(new NodeException(NodeException.Kind.STOPPED, "the node is stopped"));
        }
        return CompletableFuture.supplyAsync(() -> {
            T result = action.get();
            drive();
            return result;
        }, protocolThread);
    }

    // ---- the protocol thread ----

    private void receive(PeerMessage message) {
        onProtocolThread(() -> onPeerMessage(message));
    }

    /**
     * Queues work for the protocol thread from any thread. After a stop the work is dropped: the
     * executor may already refuse it, and a storage or apply thread finishing late must not die
     * of that.
     */
    private void onProtocolThread(Runnable work) {
        if (stopped) {
            return;
        }
        try {
            protocolThread.execute(guarded(work));
        } catch (RejectedExecutionException e) {
            LOG.debug("node {} is stopped; dropped protocol work", id);
        }
    }

    private void onPeerMessage(PeerMessage message) {
        if (message instanceof PeerMessage.RaftFrame frame) {
            raft.step(frame.message());
        } else if (message instanceof PeerMessage.ForwardProposal forward) {
            acceptForwarded(forward);
        } else if (message instanceof PeerMessage.ForwardResult result) {
            forwardAnswered(result);
        } else if (message instanceof PeerMessage.ForwardAdmin request) {
            leaderAdministration.accept(raft, request);
        } else if (message instanceof PeerMessage.AdminResult result) {
            forwarded.adminAnswered(result);
        }
        drive();
    }

    private void acceptForwarded(PeerMessage.ForwardProposal forward) {
        PeerMessage reply;
        if (raft.role() != Role.LEADER) {
            reply = PeerMessage.ForwardResult.rejected(id, forward.from(), forward.requestId(), ForwardStatus.NOT_LEADER, raft.leader());
        } else if (admissionRefusal() != null) {
            reply = PeerMessage.ForwardResult.rejected(id, forward.from(), forward.requestId(), ForwardStatus.OVERLOADED, id);
        } else {
            try {
                long index = raft.propose(new CommandEnvelope(clockMillis.getAsLong(), forward.from(), forward.requestId(),
                        forward.command()).encode());
                reply = PeerMessage.ForwardResult.accepted(id, forward.from(), forward.requestId(), index, raft.term());
            } catch (ProposalRejectedException e) {
                ForwardStatus status = e.reason() == ProposalRejectedException.Reason.TRANSFERRING_LEADERSHIP
                        ? ForwardStatus.TRANSFERRING : ForwardStatus.NOT_LEADER;
                reply = PeerMessage.ForwardResult.rejected(id, forward.from(), forward.requestId(), status, e.leaderHint());
            }
        }
        transport.send(reply);
    }

    private void forwardAnswered(PeerMessage.ForwardResult result) {
        forwarded.proposalAnswered(result.requestId());
        switch (result.outcome()) {
            case ACCEPTED -> proposals.assigned(result.requestId(), result.index(), applier.appliedIndex());
            case OVERLOADED, TOO_LARGE -> proposals.fail(result.requestId(),
                    new NodeException(NodeException.Kind.OVERLOADED, "the leader " + result.from() + " refused: " + result.outcome()));
            default -> proposals.fail(result.requestId(), new NodeException(NodeException.Kind.NO_LEADER,
                    result.from() + " could not take the proposal: " + result.outcome(), result.leaderHint()));
        }
    }

    private void tick() {
        writer.tick();
        raft.tick();
        long now = System.nanoTime();
        proposals.expire(now);
        reads.expire(now);
        admin.tick(raft, now);
        forwarded.expire(now, proposals::isWaiting);
        waitingForLeader.removeIf(parked -> parked.expireIfDue(now));
        drive();
    }

    /**
     * A proposal that arrived while no leader was known. It never reached a log, so when its wait
     * ends without a leader it fails as retry-safe ({@link NodeException.Kind#NO_LEADER}), a tick
     * before the request timeout would call its outcome unknown.
     */
    private final class ParkedProposal {
        private final long requestId;
        private final byte[] command;
        private final long deadlineNanos;

        ParkedProposal(long requestId, byte[] command) {
            this.requestId = requestId;
            this.command = command;
            this.deadlineNanos = deadline() - 2 * config.tick().toNanos();
        }

        void dispatch() {
            dispatchProposal(requestId, command);
        }

        boolean expireIfDue(long nowNanos) {
            if (nowNanos - deadlineNanos < 0) {
                return false;
            }
            proposals.fail(requestId, new NodeException(NodeException.Kind.NO_LEADER, "no leader was elected in time"));
            return true;
        }
    }

    /**
     * Carries out Readys until one needs the disk, which then runs on the storage thread.
     *
     * <p>Committed entries that are already in the local durable log are applied at once, while the
     * Ready's write runs: being committed, they are durable on a majority, so nothing of this node's
     * pending write (usually only the hard state's new commit index) protects them. Waiting for that
     * write put one more fsync between a commit and its caller's answer (measured: about half of a
     * proposal's latency here). Entries of this very Ready, and a snapshot, still wait for the write.
     */
    private void drive() {
        while (!persisting && !stopped && raft.hasReady()) {
            Ready ready = raft.ready();
            sendAll(ready.earlyMessages());
            if (ready.snapshot() != null || !ready.entries().isEmpty() || ready.hardState() != null) {
                persisting = true;
                boolean applyNow = committedEntriesAreDurable(ready);
                if (applyNow) {
                    applier.enqueue(null, ready.committedEntries());
                }
                writer.persist(ready, () -> {
                    if (!stopped) {
                        sendAll(ready.messages());
                    }
                    onProtocolThread(() -> {
                        persisting = false;
                        finish(ready, applyNow, true);
                        drive();
                    });
                });
                return;
            }
            finish(ready, false, false);
        }
    }

    /**
     * Whether every committed entry of {@code ready} is durable here already. Entries handed out in
     * earlier Readys are (they are handed out one Ready at a time, each written before the next),
     * so only this Ready's own entries and snapshot are not.
     */
    private static boolean committedEntriesAreDurable(Ready ready) {
        if (ready.snapshot() != null || ready.committedEntries().isEmpty()) {
            return false;
        }
        long lastCommitted = ready.committedEntries().get(ready.committedEntries().size() - 1).index();
        return ready.entries().isEmpty() || lastCommitted < ready.entries().get(0).index();
    }

    /**
     * Carries out the rest of a Ready once its state is durable; {@code applied}: its committed
     * entries were queued already; {@code sent}: its messages were sent already.
     */
    private void finish(Ready ready, boolean applied, boolean sent) {
        if (!sent) {
            sendAll(ready.messages());
        }
        if (!applied) {
            applier.enqueue(ready.snapshot(), ready.committedEntries());
        }
        for (ReadState read : ready.readStates()) {
            reads.confirmed(read.requestId(), read.index(), applier::appliedIndex);
        }
        raft.advance(ready);
        if (ready.roleChanged()) {
            leadershipChanged();
        }
        if (raft.term() != seenTerm || !Objects.equals(raft.leader(), seenLeader)) {
            seenTerm = raft.term();
            seenLeader = raft.leader();
            logLeader();
            failForwardsToFormerLeaders();
        }
        updatePeers();
        updateStatus();
    }

    /** One line per change of term or leader: what an operator reads first after an incident. */
    private void logLeader() {
        if (seenLeader == null) {
            LOG.info("{}: term {}, no leader known", id, seenTerm);
        } else {
            LOG.info("{}: term {}, {}", id, seenTerm, id.equals(seenLeader) ? "leading" : "leader " + seenLeader);
        }
    }

    private void leadershipChanged() {
        String leader = raft.leader();
        admin.leadershipChanged(raft);
        if (leader != null) {
            List<ParkedProposal> parked = new ArrayList<>(waitingForLeader);
            waitingForLeader.clear();
            parked.forEach(ParkedProposal::dispatch);
            // Confirmations requested from a previous leader will never come: ask the new one.
            for (long requestId : reads.unconfirmedIds()) {
                raft.readIndex(requestId);
            }
        }
        for (LeadershipListener listener : listeners) {
            listener.leadershipChanged(leader, raft.term(), id.equals(leader));
        }
    }

    /**
     * The leader or term changed: forwards still waiting on an earlier leader will get no answer
     * (see {@link ForwardedRequests}); their callers learn now that the outcome is unknown.
     */
    private void failForwardsToFormerLeaders() {
        for (long requestId : forwarded.leaderMoved(seenLeader, seenTerm)) {
            proposals.fail(requestId, new NodeException(NodeException.Kind.TIMEOUT,
                    "the leader it was forwarded to lost leadership before it answered; the command may still commit",
                    seenLeader));
        }
    }

    private void sendAll(List<Message> messages) {
        for (Message m : messages) {
            transport.send(new PeerMessage.RaftFrame(m));
        }
    }

    private void updatePeers() {
        Membership current = raft.membership();
        if (!current.equals(peersKnown)) {
            peersKnown = current;
            Map<String, String> peers = new TreeMap<>();
            if (!current.contains(id)) {
                // Joining: answer the members we were told of until the configuration names us.
                peers.putAll(config.joinVia());
            }
            peers.putAll(current.addresses());
            peers.remove(id);
            transport.setPeers(peers);
        }
    }

    private void updateStatus() {
        RaftStatus s = raft.status();
        status = new RaftStatus(s.id(), s.role(), s.term(), s.leader(), s.commitIndex(), applier.appliedIndex(),
                s.lastIndex(), s.membership(), s.matchIndex());
    }

    /** On the apply thread: a snapshot of the state machine at {@code index} is ready. */
    private void snapshotTaken(long index, byte[] data) {
        onProtocolThread(() -> {
            if (index <= storage.snapshotMeta().index()) {
                // A leader's snapshot past this one was installed meanwhile; the log below it is gone.
                return;
            }
            long term = raft.termAt(index);
            if (term == 0) {
                return;
            }
            SnapshotMeta meta = new SnapshotMeta(index, term, raft.membershipAt(index), data.length);
            writer.saveSnapshot(new Snapshot(meta, data));
        });
    }

    private long deadline() {
        return System.nanoTime() + config.requestTimeout().toNanos();
    }

    /** Wraps protocol-thread work: any exception there is a bug or a broken disk, and stops the node. */
    private Runnable guarded(Runnable work) {
        return () -> {
            if (stopped) {
                return;
            }
            try {
                work.run();
            } catch (Throwable t) {
                fail("internal error on the protocol thread", t);
            }
        };
    }

    private void fail(String what, Throwable cause) {
        if (stopped) {
            return;
        }
        LOG.error("node {} stops: {}", id, what, cause);
        stopEverything(new NodeException(NodeException.Kind.STOPPED, "node " + id + " stopped: " + what + ": " + cause));
    }

    private void stopEverything(NodeException cause) {
        stopped = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        proposals.failAll(cause);
        reads.failAll(cause);
        admin.failAll(cause);
        forwarded.failAll(cause);
        waitingForLeader.clear();
        transportClosed = transport.close();
    }

    /**
     * Stops ticking and serving, fails every waiting future with {@link NodeException.Kind#STOPPED},
     * lets the write in progress finish, releases the threads and closes the storage. Blocks for at
     * most a few seconds; safe to call more than once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NodeException cause = new NodeException(NodeException.Kind.STOPPED, "the node is shutting down");
        try {
            CompletableFuture.runAsync(() -> stopEverything(cause), protocolThread).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("node {}: protocol thread did not stop cleanly", id, e);
        }
        shutdown(protocolThread, false);
        writer.saveCommitAtClose();
        shutdown(storageThread, false);
        shutdown(applyThread, false);
        releaseResources(cause);
    }

    /**
     * Test hook: dies as a killed process would. Ticking and serving stop at once, the transport's
     * sockets close, and every thread is interrupted: a write or fsync in progress is cut off where
     * it stands (the interrupt closes its file channel), and no pending work runs. What is on disk is
     * whatever the storage had written; nothing is flushed on the way out. Waiting futures fail with
     * {@link NodeException.Kind#STOPPED}, as a client's connection would drop.
     */
    void crash() {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        ScheduledFuture<?> t = ticker;
        if (t != null) {
            t.cancel(false);
        }
        transportClosed = transport.close();
        shutdown(protocolThread, true);
        shutdown(storageThread, true);
        shutdown(applyThread, true);
        NodeException cause = new NodeException(NodeException.Kind.STOPPED, "node " + id + " crashed");
        admin.failAll(cause);
        forwarded.failAll(cause);
        releaseResources(cause);
    }

    /** After the threads are gone: nothing is left waiting, the sockets are closed and the files released. */
    private void releaseResources(NodeException cause) {
        proposals.failAll(cause);
        reads.failAll(cause);
        Future<Void> closing = transportClosed != null ? transportClosed : transport.close();
        try {
            closing.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("node {}: transport did not close in time", id, e);
        }
        try {
            storage.close();
        } catch (Exception e) {
            LOG.warn("node {}: closing storage failed", id, e);
        }
    }

    private static void shutdown(ExecutorService executor, boolean abruptly) {
        if (abruptly) {
            executor.shutdownNow();
        } else {
            executor.shutdown();
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
