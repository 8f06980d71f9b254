package io.quorum.raft.protocol;

import io.quorum.raft.protocol.Message.AppendEntries;
import io.quorum.raft.protocol.Message.AppendResponse;
import io.quorum.raft.protocol.Message.Heartbeat;
import io.quorum.raft.protocol.Message.HeartbeatResponse;
import io.quorum.raft.protocol.Message.InstallSnapshot;
import io.quorum.raft.protocol.Message.InstallSnapshotResponse;
import io.quorum.raft.protocol.Message.ReadIndexRequest;
import io.quorum.raft.protocol.Message.ReadIndexResponse;
import io.quorum.raft.protocol.Message.TimeoutNow;
import io.quorum.raft.protocol.Message.VoteRequest;
import io.quorum.raft.protocol.Message.VoteResponse;
import io.quorum.raft.protocol.ProposalRejectedException.Reason;
import io.quorum.raft.protocol.ReadIndexRounds.PendingRead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The Raft protocol for one node: a pure, single-threaded state machine. It owns no thread,
 * clock, socket or file; time is {@link #tick()}, randomness the injected generator, and all
 * output a {@link Ready} that the shell carries out and acknowledges with {@link #advance}.
 *
 * <p>Every message passes one shared term check in {@link #step}; what remains goes to the
 * handler of the current role ({@link #stepLeader}, {@link #stepCandidate}, {@link #stepFollower}).
 * Replication towards followers lives in {@link Replicator}; this class decides, that one sends.
 */
public final class Raft {

    private final RaftConfig config;
    private final RaftStorage storage;
    private final RandomGenerator random;
    private final String id;
    final RaftLog log;
    private final ConfigHistory configs;
    private final ReadIndexRounds reads = new ReadIndexRounds();
    final Map<String, Progress> progress = new TreeMap<>();
    private final Map<String, Boolean> votes = new HashMap<>();
    private final Replicator replicator;
    private final FollowerLog followerLog;

    private Role role = Role.FOLLOWER;
    private long term;
    private String votedFor;
    private String leader;
    private String transferee;
    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;
    /** Whether the election under way was started by TimeoutNow (voters then ignore their leader lease). */
    private boolean campaignIsTransfer;

    private HardState persistedHardState;
    private Role reportedRole = Role.FOLLOWER;
    private String reportedLeader;
    final List<Message> earlyMessages = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();

    public Raft(RaftConfig config, RaftStorage storage, RandomGenerator random) {
        this(config, storage, random, storage.snapshotMeta().index());
    }

    /**
     * @param appliedIndex the index up to which the application's state already reflects the log
     *                     (at least the snapshot's); committed entries after it are handed out again
     */
    public Raft(RaftConfig config, RaftStorage storage, RandomGenerator random, long appliedIndex) {
        this.config = config;
        this.storage = storage;
        this.random = random;
        this.id = config.id();
        HardState hs = storage.hardState();
        SnapshotMeta snapshot = storage.snapshotMeta();
        this.log = new RaftLog(storage, hs.commit(), appliedIndex);
        this.term = Math.max(hs.term(), snapshot.term());
        this.votedFor = hs.term() >= snapshot.term() ? hs.votedFor() : null;
        this.persistedHardState = hs;
        this.configs = new ConfigHistory(snapshot.membership());
        recordConfigEntries(storage.firstIndex(), storage.lastIndex());
        this.replicator = new Replicator(this, config, storage);
        this.followerLog = new FollowerLog(id, log, configs);
        becomeFollower(term, null);
    }

    private void recordConfigEntries(long from, long to) {
        for (long i = from; i <= to; ) {
            List<Entry> page = storage.entries(i, to + 1, 4L << 20);
            for (Entry e : page) {
                if (e.type() == EntryType.CONFIG_CHANGE) {
                    configs.record(e.index(), e.data());
                }
            }
            i += page.size();
        }
    }

    // ---- queries ----

    public String id() {
        return id;
    }

    public Role role() {
        return role;
    }

    public long term() {
        return term;
    }

    /** The leader of the current term as far as this node knows, or null. */
    public String leader() {
        return leader;
    }

    public long commitIndex() {
        return log.committed();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** The term of the entry at {@code index} in this node's log, or 0 when it is compacted or absent. */
    public long termAt(long index) {
        try {
            return log.term(index);
        } catch (CompactedException e) {
            return 0;
        }
    }

    /** The configuration in force: the latest one in this node's log, committed or not. */
    public Membership membership() {
        return configs.latest();
    }

    /** The configuration in force at {@code index}; the shell records it with a snapshot taken there. */
    public Membership membershipAt(long index) {
        return configs.at(index);
    }

    public RaftStatus status() {
        Map<String, Long> match = new TreeMap<>();
        if (role == Role.LEADER) {
            progress.forEach((member, pr) -> match.put(member, pr.match()));
        }
        return new RaftStatus(id, role, term, leader, log.committed(), log.applied(), log.lastIndex(),
                membership(), match);
    }

    RaftConfig config() {
        return config;
    }

    long currentTerm() {
        return term;
    }

    // ---- inputs ----

    /** One unit of logical time. */
    public void tick() {
        if (role == Role.LEADER) {
            tickLeader();
        } else {
            electionElapsed++;
            if (electionElapsed >= randomizedElectionTimeout && isPromotable()) {
                electionElapsed = 0;
                startElection(false);
            }
        }
    }

    private void tickLeader() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum() && !hasActiveQuorum()) {
                // §6.2: a leader that cannot hear a majority steps down instead of serving stale reads.
                becomeFollower(term, null);
                return;
            }
            transferee = null;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            replicator.broadcastHeartbeat(reads.inFlightContext());
        }
    }

    private boolean hasActiveQuorum() {
        Membership m = membership();
        int active = 0;
        for (Map.Entry<String, Progress> e : progress.entrySet()) {
            if (!m.isVoter(e.getKey())) {
                continue;
            }
            if (e.getKey().equals(id) || e.getValue().recentActive()) {
                active++;
            }
            e.getValue().setRecentActive(false);
        }
        return active >= m.quorum();
    }

    /** Starts an election now, as if the election timeout had passed. Ignored by leaders and non-voters. */
    public void campaign() {
        if (role != Role.LEADER && isPromotable()) {
            startElection(false);
        }
    }

    private boolean isPromotable() {
        return membership().isVoter(id) && log.pendingSnapshot() == null;
    }

    /**
     * Appends a command to the log (leader only).
     *
     * @return the index the command will have if committed
     * @throws ProposalRejectedException when this node is not the leader or is handing leadership over
     */
    public long propose(byte[] command) {
        requireLeaderAcceptingProposals();
        return appendEntry(EntryType.NORMAL, command);
    }

    /**
     * Appends a single-server membership change (thesis §4.1). Refused while another change is
     * uncommitted, and until this leader has committed an entry of its own term: a new leader may
     * not yet know of an uncommitted change from an earlier term, and changing on top of it can
     * produce two disjoint majorities (the single-server membership bug, Ongaro 2015).
     */
    public long proposeConfChange(ConfChange change) {
        requireLeaderAcceptingProposals();
        if (!committedEntryInCurrentTerm()) {
            throw new ProposalRejectedException(Reason.CONFIG_CHANGE_NOT_ALLOWED, id,
                    "the leader has not yet committed an entry of term " + term);
        }
        if (configs.latestIndex() > log.committed()) {
            throw new ProposalRejectedException(Reason.CONFIG_CHANGE_NOT_ALLOWED, id,
                    "the configuration change at index " + configs.latestIndex() + " is not committed yet");
        }
        try {
            membership().apply(change);
        } catch (IllegalArgumentException e) {
            throw new ProposalRejectedException(Reason.INVALID_REQUEST, id, e.getMessage());
        }
        return appendEntry(EntryType.CONFIG_CHANGE, change.encode());
    }

    private void requireLeaderAcceptingProposals() {
        if (role != Role.LEADER) {
            throw notLeader();
        }
        if (transferee != null) {
            throw new ProposalRejectedException(Reason.TRANSFERRING_LEADERSHIP, transferee,
                    "leadership is being transferred to " + transferee);
        }
    }

    private ProposalRejectedException notLeader() {
        return leader == null
                ? new ProposalRejectedException(Reason.NO_LEADER, null, "no leader is known")
                : new ProposalRejectedException(Reason.NOT_LEADER, leader, "not the leader; the leader is " + leader);
    }

    private long appendEntry(EntryType type, byte[] data) {
        long index = log.lastIndex() + 1;
        log.append(new Entry(term, index, type, data));
        if (type == EntryType.CONFIG_CHANGE) {
            configs.record(index, data);
            membershipChanged();
        }
        replicator.markDirty();
        return index;
    }

    boolean committedEntryInCurrentTerm() {
        return log.matchTerm(log.committed(), term);
    }

    /**
     * Asks for a linearizable read index (thesis §6.4). The answer is a {@link ReadState} with the
     * same requestId in a later Ready; if leadership is lost first, no answer comes and the caller
     * retries after its timeout.
     *
     * @throws ProposalRejectedException when no leader is known
     */
    public void readIndex(long requestId) {
        if (role == Role.LEADER) {
            queueRead(new PendingRead(requestId, id));
        } else if (leader != null) {
            send(new ReadIndexRequest(id, leader, term, requestId));
        } else {
            throw notLeader();
        }
    }

    private void queueRead(PendingRead read) {
        reads.add(read);
        maybeStartReadRound();
    }

    private void maybeStartReadRound() {
        // §6.4: a new leader does not know the commit index until it commits an entry of its term.
        if (!committedEntryInCurrentTerm()) {
            return;
        }
        long context = reads.maybeStartRound(log.committed(), id);
        if (context == 0) {
            return;
        }
        // The leader's own acknowledgement may already be a quorum (a single voter).
        if (!releaseReads(reads.acknowledge(id, context, membership()))) {
            replicator.broadcastHeartbeat(context);
        }
    }

    private boolean releaseReads(List<PendingRead> released) {
        long index = reads.completedRoundIndex();
        for (PendingRead read : released) {
            answerRead(read, index);
        }
        if (!released.isEmpty()) {
            maybeStartReadRound();
        }
        return !released.isEmpty();
    }

    private void answerRead(PendingRead read, long index) {
        if (read.requester().equals(id)) {
            readStates.add(new ReadState(read.requestId(), index));
        } else {
            send(new ReadIndexResponse(id, read.requester(), term, read.requestId(), index, true));
        }
    }

    /** Hands leadership to {@code to} (thesis §3.10): catch it up, then tell it to campaign at once. */
    public void transferLeadership(String to) {
        if (role != Role.LEADER) {
            throw notLeader();
        }
        if (to.equals(id)) {
            return;
        }
        if (!membership().isVoter(to)) {
            throw new ProposalRejectedException(Reason.INVALID_REQUEST, id, to + " is not a voter");
        }
        transferee = to;
        electionElapsed = 0;
        Progress pr = progress.get(to);
        if (pr.match() == log.lastIndex()) {
            send(new TimeoutNow(id, to, term));
        } else {
            replicator.sendAppend(to, pr, true);
        }
    }

    /**
     * Handles one message from a peer. Messages for another node, and any that fails
     * {@link MessageCheck} (a missing id, a term no node may hold, an impossible index), are ignored.
     */
    public void step(Message m) {
        if (MessageCheck.problem(m) != null || !m.to().equals(id)) {
            return;
        }
        if (m.term() > term) {
            if (m instanceof VoteRequest vr) {
                boolean inLease = config.checkQuorum() && leader != null && electionElapsed < config.electionTicks();
                if (inLease && !vr.leadershipTransfer()) {
                    // §4.2.3: a server that hears from a current leader ignores vote requests, so a
                    // removed or partitioned server cannot disrupt the cluster.
                    return;
                }
            }
            boolean preVoteTraffic = (m instanceof VoteRequest vr && vr.preVote())
                    || (m instanceof VoteResponse vresp && vresp.preVote() && vresp.granted());
            if (!preVoteTraffic) {
                boolean fromLeader = m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot;
                int elapsed = electionElapsed;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
                if (m instanceof VoteRequest) {
                    // Figure 2: only granting the vote restarts the election timer. A candidate with
                    // a stale log must not keep up-to-date servers from ever timing out.
                    electionElapsed = elapsed;
                }
            }
        } else if (m.term() < term) {
            if ((config.checkQuorum() || config.preVote()) && (m instanceof AppendEntries || m instanceof Heartbeat)) {
                // A stale leader learns our term and steps down; otherwise a node that raised its
                // term while partitioned (without pre-vote) could never be reached again.
                send(new AppendResponse(id, m.from(), term, false, 0, 0, 0, 0));
            } else if (m instanceof VoteRequest vr && vr.preVote()) {
                send(new VoteResponse(id, m.from(), term, false, true));
            }
            return;
        }
        if (m instanceof VoteRequest vr) {
            handleVoteRequest(vr);
            return;
        }
        switch (role) {
            case LEADER -> stepLeader(m);
            case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
            case FOLLOWER -> stepFollower(m);
        }
    }

    private void handleVoteRequest(VoteRequest m) {
        boolean canVote = m.from().equals(votedFor)
                || (votedFor == null && leader == null)
                || (m.preVote() && m.term() > term);
        // §5.4.1: vote only for a candidate whose log is at least as up-to-date as ours.
        if (canVote && log.isUpToDate(m.lastLogIndex(), m.lastLogTerm())) {
            send(new VoteResponse(id, m.from(), m.term(), true, m.preVote()));
            if (!m.preVote()) {
                electionElapsed = 0;
                votedFor = m.from();
            }
        } else {
            send(new VoteResponse(id, m.from(), term, false, m.preVote()));
        }
    }

    private void stepLeader(Message m) {
        Progress pr = progress.get(m.from());
        if (m instanceof ReadIndexRequest req) {
            if (pr != null) {
                queueRead(new PendingRead(req.requestId(), req.from()));
            }
            return;
        }
        if (pr == null) {
            return;
        }
        pr.setRecentActive(true);
        if (m instanceof AppendResponse resp) {
            handleAppendResponse(resp, pr);
        } else if (m instanceof HeartbeatResponse resp) {
            handleHeartbeatResponse(resp, pr);
        } else if (m instanceof InstallSnapshotResponse resp) {
            if (resp.installed()) {
                pr.maybeUpdate(resp.snapshotIndex());
                pr.becomeProbe();
                replicator.sendAppend(resp.from(), pr, true);
            } else {
                pr.snapshotChunkAcknowledged(resp.snapshotIndex(), resp.nextOffset());
                replicator.sendSnapshotChunk(resp.from(), pr);
            }
        }
        // Vote traffic and TimeoutNow in our own term need nothing from a leader.
    }

    private void handleHeartbeatResponse(HeartbeatResponse resp, Progress pr) {
        pr.heartbeatAcknowledged();
        if (pr.state() == Progress.State.SNAPSHOT) {
            replicator.sendSnapshotChunk(resp.from(), pr);
        } else if (pr.match() < log.lastIndex() || pr.state() == Progress.State.PROBE) {
            replicator.sendAppend(resp.from(), pr, true);
        }
        if (resp.readContext() != 0) {
            releaseReads(reads.acknowledge(resp.from(), resp.readContext(), membership()));
        }
    }

    private void handleAppendResponse(AppendResponse resp, Progress pr) {
        if (!resp.success()) {
            long probeHint = resp.hintTerm() > 0 ? log.findConflictByTerm(resp.hintIndex(), resp.hintTerm()) : resp.hintIndex();
            if (pr.maybeDecrease(resp.rejectedIndex(), probeHint)) {
                if (pr.state() == Progress.State.REPLICATE) {
                    pr.becomeProbe();
                }
                replicator.sendAppend(resp.from(), pr, true);
            }
            return;
        }
        boolean advanced = pr.maybeUpdate(resp.matchIndex());
        pr.freeInflightUpTo(resp.matchIndex());
        // A probe answered at the known match (after a snapshot, or a probe that landed exactly at
        // match) ends probing even though match did not move; otherwise the member would wait
        // for the next heartbeat.
        boolean probeConfirmed = pr.state() == Progress.State.PROBE && pr.match() == resp.matchIndex();
        if (!advanced && !probeConfirmed) {
            return;
        }
        if (pr.state() == Progress.State.PROBE) {
            pr.becomeReplicate();
        } else if (pr.state() == Progress.State.SNAPSHOT && pr.match() >= pr.pendingSnapshotIndex()) {
            pr.becomeProbe();
            pr.becomeReplicate();
        }
        if (maybeCommit()) {
            replicator.broadcastAppend(true);
        } else {
            replicator.sendAppend(resp.from(), pr, false);
        }
        if (resp.from().equals(transferee) && pr.match() == log.lastIndex()) {
            send(new TimeoutNow(id, transferee, term));
        }
    }

    /**
     * Advances the commit index to the highest index a majority of voters hold.
     * §5.4.2: only an entry of the current term is committed by counting replicas; earlier entries
     * are committed indirectly with it (Figure 8).
     */
    boolean maybeCommit() {
        Membership m = membership();
        long[] matches = m.voters().stream()
                .mapToLong(v -> progress.containsKey(v) ? progress.get(v).match() : 0)
                .sorted()
                .toArray();
        if (matches.length == 0) {
            return false;
        }
        long quorumIndex = matches[matches.length - m.quorum()];
        if (quorumIndex <= log.committed() || log.term(quorumIndex) != term) {
            return false;
        }
        log.commitTo(quorumIndex);
        afterCommitAdvanced();
        return true;
    }

    private void afterCommitAdvanced() {
        maybeStartReadRound();
        // Thesis §4.2.2: a leader removed from the configuration steps down once the change commits.
        if (role == Role.LEADER && !membership().isVoter(id) && configs.latestIndex() <= log.committed()) {
            becomeFollower(term, null);
        }
    }

    private void stepCandidate(Message m) {
        if (m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot) {
            // A leader of our term exists: §5.2, return to follower and take its message.
            becomeFollower(term, m.from());
            stepFollower(m);
        } else if (m instanceof VoteResponse vr) {
            boolean ours = vr.preVote() == (role == Role.PRE_CANDIDATE);
            if (ours && membership().isVoter(vr.from())) {
                votes.put(vr.from(), vr.granted());
                tallyVotes();
            }
        }
    }

    private void tallyVotes() {
        Membership m = membership();
        int granted = 0;
        int rejected = 0;
        for (Map.Entry<String, Boolean> vote : votes.entrySet()) {
            if (m.isVoter(vote.getKey())) {
                if (vote.getValue()) {
                    granted++;
                } else {
                    rejected++;
                }
            }
        }
        if (granted >= m.quorum()) {
            if (role == Role.PRE_CANDIDATE) {
                startElection(true, campaignIsTransfer);
            } else {
                becomeLeader();
            }
        } else if (rejected >= m.quorum() || m.voters().size() - rejected < m.quorum()) {
            becomeFollower(term, null);
        }
    }

    private void stepFollower(Message m) {
        if (m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot) {
            electionElapsed = 0;
            leader = m.from();
            if (m instanceof AppendEntries ae) {
                send(followerLog.onAppend(ae, term));
            } else if (m instanceof Heartbeat hb) {
                send(followerLog.onHeartbeat(hb, term));
            } else {
                send(followerLog.onSnapshotChunk((InstallSnapshot) m, term));
            }
        } else if (m instanceof TimeoutNow) {
            if (isPromotable()) {
                startElection(true, true);
            }
        } else if (m instanceof ReadIndexResponse resp) {
            if (resp.accepted()) {
                readStates.add(new ReadState(resp.requestId(), resp.readIndex()));
            }
        } else if (m instanceof ReadIndexRequest req) {
            send(new ReadIndexResponse(id, req.from(), term, req.requestId(), 0, false));
        }
        // Responses meant for a leader or candidate of this term are stale for a follower.
    }

    // ---- role transitions ----

    private void becomeFollower(long newTerm, String newLeader) {
        if (newTerm > term) {
            term = newTerm;
            votedFor = null;
        }
        role = Role.FOLLOWER;
        leader = newLeader;
        resetTimers();
        transferee = null;
        reads.clear();
        progress.clear();
        votes.clear();
    }

    private void startElection(boolean skipPreVote) {
        startElection(skipPreVote, false);
    }

    private void startElection(boolean skipPreVote, boolean transfer) {
        campaignIsTransfer = transfer;
        votes.clear();
        leader = null;
        resetTimers();
        long requestTerm;
        if (config.preVote() && !skipPreVote) {
            // Thesis §9.6: ask whether we could win before disturbing anyone's term.
            role = Role.PRE_CANDIDATE;
            requestTerm = term + 1;
        } else {
            role = Role.CANDIDATE;
            term++;
            votedFor = id;
            requestTerm = term;
        }
        votes.put(id, true);
        boolean preVote = role == Role.PRE_CANDIDATE;
        for (String voter : membership().voters()) {
            if (!voter.equals(id)) {
                send(new VoteRequest(id, voter, requestTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
            }
        }
        tallyVotes();
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leader = id;
        transferee = null;
        resetTimers();
        progress.clear();
        membershipChanged();
        progress.get(id).maybeUpdate(log.lastStableIndex());
        // §8: a new leader commits an entry of its own term to learn what is committed.
        appendEntry(EntryType.NOOP, new byte[0]);
        replicator.broadcastAppend(true);
    }

    /** Brings the leader's progress map in line with the configuration in force. */
    private void membershipChanged() {
        if (role != Role.LEADER) {
            return;
        }
        Membership m = membership();
        progress.keySet().removeIf(member -> !m.contains(member) && !member.equals(id));
        for (String member : m.members()) {
            progress.computeIfAbsent(member, k -> {
                Progress pr = new Progress(log.lastIndex() + 1, config.maxInflightAppends());
                pr.setRecentActive(true);
                return pr;
            });
        }
        progress.computeIfAbsent(id, k -> new Progress(log.lastIndex() + 1, config.maxInflightAppends()));
        if (transferee != null && !m.isVoter(transferee)) {
            transferee = null;
        }
    }

    private void resetTimers() {
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    // ---- output ----

    void send(Message m) {
        boolean early = role == Role.LEADER && (m instanceof AppendEntries || m instanceof Heartbeat
                || m instanceof InstallSnapshot || m instanceof TimeoutNow || m instanceof ReadIndexResponse);
        (early ? earlyMessages : messages).add(m);
    }

    private HardState hardState() {
        return new HardState(term, votedFor, log.committed());
    }

    public boolean hasReady() {
        if (role == Role.LEADER) {
            replicator.flushDirty();
        }
        return !hardState().equals(persistedHardState)
                || log.pendingSnapshot() != null
                || !log.entriesToPersist().isEmpty()
                || log.hasEntriesToApply()
                || !earlyMessages.isEmpty() || !messages.isEmpty() || !readStates.isEmpty()
                || role != reportedRole || !java.util.Objects.equals(leader, reportedLeader);
    }

    /** Collects the work for the shell. Call {@link #advance} with it before calling ready() again. */
    public Ready ready() {
        if (role == Role.LEADER) {
            replicator.flushDirty();
        }
        HardState hs = hardState();
        List<Entry> toPersist = log.entriesToPersist();
        log.markHandedOut(toPersist);
        Ready ready = new Ready(
                hs.equals(persistedHardState) ? null : hs,
                toPersist,
                log.pendingSnapshot(),
                log.entriesToApply(config.maxAppendBytes() * 8),
                earlyMessages,
                messages,
                readStates,
                role != reportedRole || !java.util.Objects.equals(leader, reportedLeader));
        earlyMessages.clear();
        messages.clear();
        readStates.clear();
        reportedRole = role;
        reportedLeader = leader;
        return ready;
    }

    /** The shell carried out {@code ready}: its state is durable, its messages sent, its entries applied. */
    public void advance(Ready ready) {
        if (ready.hardState() != null) {
            persistedHardState = ready.hardState();
        }
        if (ready.snapshot() != null) {
            log.snapshotStable(ready.snapshot());
        }
        if (!ready.entries().isEmpty()) {
            Entry last = ready.entries().get(ready.entries().size() - 1);
            log.stableTo(last.index(), last.term());
            Progress self = progress.get(id);
            if (role == Role.LEADER && self != null && log.matchTerm(last.index(), last.term())) {
                // Thesis §10.2.1: the leader counts itself only once its own write is durable.
                self.maybeUpdate(last.index());
                if (maybeCommit()) {
                    replicator.broadcastAppend(true);
                }
            }
        }
        if (!ready.committedEntries().isEmpty()) {
            log.appliedTo(ready.committedEntries().get(ready.committedEntries().size() - 1).index());
        }
    }
}
