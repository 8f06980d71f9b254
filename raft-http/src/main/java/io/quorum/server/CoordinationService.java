package io.quorum.server;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CoordStateMachine;
import io.quorum.coord.Result;
import io.quorum.metrics.QuorumMetrics;
import io.quorum.raft.node.RaftNode;
import io.quorum.raft.node.RaftNodeConfig;
import io.quorum.raft.protocol.Membership;
import io.quorum.raft.protocol.RaftStatus;
import io.quorum.raft.protocol.Role;
import io.quorum.raft.transport.PeerTls;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordination service of one node: proposes commands through its {@link RaftNode}, reads its
 * {@link CoordReplica}, and does the leader's duties of the coordination state machine
 * ({@code io.quorum.coord} package notes 3 and 4).
 *
 * <p>Futures returned here complete on the Vert.x context of the caller (a handler's event loop),
 * and fail with the node's {@link io.quorum.raft.node.NodeException} when the cluster could not
 * take or confirm the request; a command the state machine refused completes normally with a
 * {@link Result.Failure}.
 */
public final class CoordinationService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinationService.class);
    private static final long DUE_WORK_PERIOD_MILLIS = 100;
    private static final long GRACE_RETRY_MILLIS = 200;

    private final RaftNode<Applied> node;
    private final CoordReplica replica;
    private final Vertx vertx;
    private final LongSupplier clockMillis;
    private final ScheduledExecutorService leaderDuties;
    private final AtomicBoolean dueWorkInFlight = new AtomicBoolean();
    private final LockAcquisitions acquisitions;
    private final HttpAddrAdvertiser advertiser;
    private final QuorumMetrics metrics;
    /** The term in which this node, as leader, has applied its {@code LeaderChanged}; 0 before. */
    private volatile long graceAppliedInTerm;

    CoordinationService(RaftNode<Applied> node, CoordReplica replica, Vertx vertx, LongSupplier clockMillis,
                        QuorumMetrics metrics) {
        this.node = node;
        this.metrics = metrics;
        this.replica = replica;
        this.vertx = vertx;
        this.clockMillis = clockMillis;
        this.acquisitions = new LockAcquisitions(c -> node.propose(CoordReplica.payloadOf(c)), replica.waiters());
        this.advertiser = new HttpAddrAdvertiser(node, replica);
        this.leaderDuties = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "coord-leader-" + node.id());
            t.setDaemon(true);
            return t;
        });
        node.addListener(this::leadershipChanged);
    }

    /**
     * Builds the node of {@code settings}: its durable storage in the data dir, its TCP transport
     * on the Raft listen address, and its replica, reporting to {@code metrics} (which it closes). Call
     * {@link #start()} next.
     */
    public static CoordinationService open(ServerSettings settings, Vertx vertx, QuorumMetrics metrics) {
        return open(settings, null, vertx, metrics);
    }

    /** As {@link #open(ServerSettings, Vertx, QuorumMetrics)}, with mutual TLS on the Raft port unless {@code peerTls} is null. */
    public static CoordinationService open(ServerSettings settings, PeerTls peerTls, Vertx vertx, QuorumMetrics metrics) {
        CoordReplica replica = new CoordReplica(settings.coordConfig(), new LockWaiters(), metrics.coordination());
        Membership bootstrap = settings.joining() ? null : Membership.ofVoters(settings.members());
        RaftNodeConfig config = RaftNodeConfig.defaults(settings.id(), bootstrap)
                .withTick(settings.tick())
                .withJoinVia(settings.joining() ? settings.members() : Map.of());
        RaftNode<Applied> node = RaftNode.open(config, settings.dataDir(), settings.raftListenAddr().host(),
                settings.raftListenAddr().port(), peerTls, replica, vertx);
        metrics.bind(node, replica::stats);
        return new CoordinationService(node, replica, vertx, System::currentTimeMillis, metrics);
    }

    /** Starts the node, the leader's due-work timer and the advertising of HTTP addresses. */
    public CompletableFuture<Void> start() {
        return node.start().thenRun(() -> leaderDuties.scheduleWithFixedDelay(() -> {
            proposeDueWork();
            advertiseHttpAddr();
        }, DUE_WORK_PERIOD_MILLIS, DUE_WORK_PERIOD_MILLIS, TimeUnit.MILLISECONDS));
    }

    /**
     * Where clients reach this node's API, once it listens: from then on the node makes sure the
     * replicated state names it ({@link HttpAddrAdvertiser}), so every node reports it.
     */
    public void advertiseHttpAddr(String httpAddr) {
        advertiser.setHttpAddr(httpAddr);
    }

    /** The HTTP addresses the members advertised, member id to address, as this replica has applied them. */
    public Future<SortedMap<String, String>> memberHttpAddrs() {
        return read(Consistency.STALE, CoordStateMachine::memberHttpAddrs);
    }

    public String nodeId() {
        return node.id();
    }

    /** This node's metrics registry ({@code GET /metrics}). */
    public QuorumMetrics metrics() {
        return metrics;
    }

    /** The node's latest Raft status; never blocks. */
    public RaftStatus status() {
        return node.status();
    }

    /** The index up to which this node has applied the log (the {@code X-Quorum-Index} header). */
    public long appliedIndex() {
        return node.appliedIndex();
    }

    /** Replicates {@code command}; completes with what applying it answered, once this node applied it. */
    public Future<Result> propose(Command command) {
        Context caller = callerContext();
        CompletableFuture<Result> applied = node.propose(CoordReplica.payloadOf(command)).thenApply(Applied::result);
        return Future.fromCompletionStage(applied, caller);
    }

    /**
     * Acquires a lock, waiting in its replicated queue up to the command's wait: completes with
     * {@link Result.LockGranted} (at once or when the queue grants it), or a {@link Result.Failure}:
     * LOCK_HELD when the wait ended first, SESSION_NOT_FOUND when the session ended first.
     */
    public Future<Result> acquire(Command.Acquire acquire) {
        return acquisitions.acquire(acquire, callerContext());
    }

    /**
     * Runs {@code query} on this node's replica: after the read barrier for {@link
     * Consistency#LINEARIZABLE}, at once for {@link Consistency#STALE}. The query takes the
     * replica's lock, which an apply or a snapshot may hold: it runs on the caller's thread when the
     * lock is free at that instant, else on a worker thread, so an event loop never waits for it.
     * Measured on a 3-node cluster here, the hand-off to a worker and back cost two thread wake-ups
     * per read and per lock request (whose session is checked first).
     */
    public <T> Future<T> read(Consistency consistency, Function<CoordStateMachine, T> query) {
        Context caller = callerContext();
        Future<?> ready = consistency == Consistency.STALE
                ? Future.succeededFuture()
                : Future.fromCompletionStage(node.readBarrier(), caller);
        return ready.compose(ignored -> readReplica(caller, query));
    }

    private <T> Future<T> readReplica(Context caller, Function<CoordStateMachine, T> query) {
        Promise<T> answer = Promise.promise();
        try {
            if (replica.tryRead(query, answer::complete)) {
                return answer.future();
            }
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return caller.executeBlocking(() -> replica.read(query), false);
    }

    /**
     * A consistent backup of the whole state: after a linearizable read barrier, the replica's
     * snapshot at one applied index, with that index's term and configuration ({@link
     * RaftNode#snapshotNow()}: serialized on the apply thread), encoded as a {@link BackupFile}
     * on a worker thread. Completes on the caller's context.
     */
    public Future<Backup> backup() {
        Context caller = callerContext();
        return Future.fromCompletionStage(node.readBarrier().thenCompose(index -> node.snapshotNow()), caller)
                .compose(snapshot -> caller.executeBlocking(() -> new Backup(snapshot.meta(), BackupFile.encode(snapshot)),
                        false));
    }

    /**
     * A long poll of the events after {@code afterIndex} under {@code prefix} ({@code afterIndex}
     * null: after this replica's applied index, i.e. the next change), waiting up to {@code
     * waitMillis} for the first. Reads this replica without a read barrier: a follower answers
     * what it has applied. Fails OVERLOADED when too many watches wait on this node.
     */
    public Future<WatchPage> watch(Long afterIndex, String prefix, long waitMillis, Future<Void> abandoned) {
        Context caller = callerContext();
        Future<Long> after = afterIndex != null
                ? Future.succeededFuture(afterIndex)
                : caller.executeBlocking(() -> replica.read(CoordStateMachine::appliedIndex), false);
        return after.compose(a -> WatchPoll.start(replica, caller, a, prefix, waitMillis, abandoned));
    }

    // ---- cluster administration ------------------------------------------------------------

    /**
     * The cluster's configuration, no older than this call: read after a read barrier, so that every
     * change committed before the call is in this node's log. It may include a change still being
     * committed.
     */
    public Future<Membership> membership() {
        Context caller = callerContext();
        return Future.fromCompletionStage(node.readBarrier(), caller).map(applied -> node.status().membership());
    }

    /**
     * Adds {@code id} at raft address {@code raftAddr} as a learner (the leader promotes it once it
     * has caught up), from any node; completes with the change's index once it commits. Fails with
     * the node's {@link io.quorum.raft.node.NodeException}: OVERLOADED while another change is in
     * progress, INVALID when the change does not fit the configuration.
     */
    public Future<Long> addMember(String id, String raftAddr) {
        Context caller = callerContext();
        return Future.fromCompletionStage(node.addMember(id, raftAddr), caller);
    }

    /** Removes member {@code id}, from any node; completes with the change's index once it commits. */
    public Future<Long> removeMember(String id) {
        Context caller = callerContext();
        return Future.fromCompletionStage(node.removeMember(id), caller);
    }

    /** Hands leadership to voter {@code to}, from any node; completes with the term in which it leads. */
    public Future<Long> transferLeadership(String to) {
        Context caller = callerContext();
        return Future.fromCompletionStage(node.transferLeadership(to), caller);
    }

    private Context callerContext() {
        Context current = Vertx.currentContext();
        return current != null ? current : vertx.getOrCreateContext();
    }

    /**
     * Whether this node leads and has applied its {@code LeaderChanged} in the current term, so
     * that its due-work timer runs.
     */
    public boolean leaderDutiesActive() {
        RaftStatus s = node.status();
        return s != null && s.role() == Role.LEADER && s.term() == graceAppliedInTerm;
    }

    // ---- the leader's duties ---------------------------------------------------------------

    /**
     * On the protocol thread, before the node's status shows the new role (so it must not be
     * consulted here); must not block.
     */
    private void leadershipChanged(String leaderId, long term, boolean isSelf) {
        if (isSelf) {
            leaderDuties.execute(() -> proposeGrace(term));
        }
    }

    /**
     * A new leader's first command: every session gets a fresh ttl (Chubby's grace period). Due
     * work waits until it has applied, so no session expires on a deadline from before the
     * failover. Retried while this node still leads in {@code term}; a proposal made after this
     * node lost leadership fails without harm.
     */
    private void proposeGrace(long term) {
        node.propose(CoordReplica.payloadOf(new Command.LeaderChanged())).whenComplete((applied, failure) -> {
            if (failure == null) {
                graceAppliedInTerm = term;
            } else if (leadsIn(term) && !leaderDuties.isShutdown()) {
                LOG.info("node {}: proposing the leader's grace in term {} failed, retrying: {}", node.id(), term,
                        failure.toString());
                leaderDuties.schedule(() -> proposeGrace(term), GRACE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    private boolean leadsIn(long term) {
        RaftStatus s = node.status();
        return s != null && s.role() == Role.LEADER && s.term() == term;
    }

    private void advertiseHttpAddr() {
        try {
            advertiser.run();
        } catch (RuntimeException e) {
            LOG.warn("node {}: advertising the HTTP address failed", node.id(), e);
        }
    }

    /** On the leader-duties thread: proposes what cluster time has made due, one batch at a time. */
    private void proposeDueWork() {
        try {
            RaftStatus s = node.status();
            if (s == null || s.role() != Role.LEADER || s.term() != graceAppliedInTerm || dueWorkInFlight.get()) {
                return;
            }
            long now = clockMillis.getAsLong();
            List<Command> work = replica.read(machine -> machine.dueWork(now));
            if (work.isEmpty()) {
                return;
            }
            dueWorkInFlight.set(true);
            CompletableFuture<?>[] proposals = work.stream()
                    .map(c -> node.propose(CoordReplica.payloadOf(c)))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(proposals).whenComplete((ok, failure) -> dueWorkInFlight.set(false));
        } catch (RuntimeException e) {
            LOG.warn("node {}: proposing due work failed", node.id(), e);
        }
    }

    /**
     * When this node leads, hands leadership to its most caught-up voter and waits for it to lead,
     * at most {@code timeout}. Called on a clean shutdown once no request is in flight any more.
     *
     * @return the new leader, or empty when this node did not lead or the hand-over did not finish in time
     */
    public Optional<String> handOverLeadership(Duration timeout) {
        Optional<String> successor = LeadershipHandover.successor(node.status());
        if (successor.isEmpty()) {
            return Optional.empty();
        }
        try {
            node.transferLeadership(successor.get()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return successor;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("node {}: handing leadership to {} did not finish: {}", node.id(), successor.get(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Stops the leader's duties and the node; in-flight requests fail with STOPPED. */
    @Override
    public void close() {
        leaderDuties.shutdownNow();
        node.close();
        metrics.close();
    }
}
