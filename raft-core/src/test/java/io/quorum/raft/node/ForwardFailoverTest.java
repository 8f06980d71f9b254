package io.quorum.raft.node;

import io.quorum.raft.protocol.Role;
import io.quorum.raft.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.quorum.raft.node.TcpCluster.FAST_TICK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Requests a follower forwards to its leader, on three loopback TCP nodes: a proposal forwarded to
 * a leader that dies fails as soon as the follower learns of the next leader, not at the request
 * timeout; membership changes and a leadership transfer asked of a follower are carried out by the
 * leader.
 */
@Timeout(90)
class ForwardFailoverTest {

    /** Far longer than an election, so that a failure before it cannot be the request timeout. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dataDirs;

    private TcpCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aProposalForwardedToALeaderThatDiesFailsAsUnknownOnceANewLeaderIsKnown() throws Exception {
        cluster = new TcpCluster(dataDirs, 3, config -> config.withRequestTimeout(REQUEST_TIMEOUT));
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        // A forward that works first, so that the leader's connection is up and the cluster settled.
        settle("a first proposal", () -> aFollower().propose(CounterStateMachine.command(1)),
                () -> cluster.leader() != null && cluster.machine(cluster.leader().id()).size() > 0);
        RaftNode<Long> follower = aFollower();
        String oldLeader = follower.status().leader();

        cluster.crash(oldLeader);
        // An election takes at least one election timeout (500 ms here): the follower still
        // believes in the dead leader and forwards to it.
        long proposedAt = System.nanoTime();
        CompletableFuture<Long> orphan = follower.propose(CounterStateMachine.command(2));
        assertThat(follower.status().leader()).as("forwarded, not parked").isEqualTo(oldLeader);

        Throwable failure = catchThrowable(() -> orphan.get(REQUEST_TIMEOUT.toSeconds() / 2, TimeUnit.SECONDS));
        long failedAfterMillis = (System.nanoTime() - proposedAt) / 1_000_000;

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(NodeException.class);
        NodeException cause = (NodeException) failure.getCause();
        assertThat(cause.kind()).as(cause.getMessage()).isEqualTo(NodeException.Kind.TIMEOUT);
        assertThat(cause.getMessage()).contains("lost leadership");
        assertThat(failedAfterMillis).as("failed before the request deadline, not by it")
                .isLessThan(REQUEST_TIMEOUT.toMillis() / 2);
        assertThat(follower.status().leader()).as("the follower gave up on the dead leader").isNotEqualTo(oldLeader);

        // The next proposal goes to the new leader and applies, after whatever became of the orphan.
        cluster.awaitLeader(Duration.ofSeconds(10));
        long sum = settle("a proposal after the failover", () -> follower.propose(CounterStateMachine.command(10)),
                () -> false);
        assertThat(sum).isGreaterThanOrEqualTo(11);
    }

    @Test
    void aFollowerAddsPromotesRemovesAndTransfersThroughTheLeader() {
        cluster = new TcpCluster(dataDirs, 3, config -> config);
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));

        cluster.join("n4");
        long added = settle("add n4", () -> aFollower().addMember("n4", cluster.address("n4")),
                () -> membershipOfLeader().contains("n4"));
        assertThat(added).isNotZero();
        Await.until(Duration.ofSeconds(20), () -> cluster.live().stream().allMatch(n -> n.status().membership().isVoter("n4"))
                        && cluster.leader() != null && cluster.leader().status().commitIndex() == cluster.leader().status().lastIndex(),
                () -> "n4 was not promoted: " + membershipOfLeader());

        // Refused by the leader, whatever the follower's own view: nothing to retry.
        Throwable again = catchThrowable(() -> aFollower().addMember("n4", cluster.address("n4")).get(10, TimeUnit.SECONDS));
        assertThat(again.getCause()).isInstanceOf(NodeException.class);
        assertThat(((NodeException) again.getCause()).kind()).as(again.getMessage()).isEqualTo(NodeException.Kind.INVALID);
        assertThat(again.getMessage()).contains("already a member");

        settle("transfer to n4", () -> followerOtherThan("n4").transferLeadership("n4"),
                () -> cluster.leader() != null && cluster.leader().id().equals("n4"));
        Await.until(Duration.ofSeconds(10), () -> cluster.node("n4").status().role() == Role.LEADER,
                () -> "n4 does not lead: " + cluster.statusLine());

        String removed = followerOtherThan("n4").id();
        settle("remove " + removed, () -> followerOtherThan(removed).removeMember(removed),
                () -> !membershipOfLeader().contains(removed));
        cluster.stop(removed);
        assertThat(Await.result(aFollower().propose(CounterStateMachine.command(5)), Duration.ofSeconds(10))).isEqualTo(5);
    }

    @Test
    void aSecondChangeWhileTheFirstIsUncommittedIsRefusedAsOverloadedThroughAFollower() {
        cluster = new TcpCluster(dataDirs, 3, config -> config);
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        settle("a first proposal", () -> aFollower().propose(CounterStateMachine.command(1)),
                () -> cluster.leader() != null && cluster.machine(cluster.leader().id()).size() > 0);
        RaftNode<Long> follower = aFollower();

        // Both forwards leave together; the leader takes the second before the first can commit.
        CompletableFuture<Long> first = follower.addMember("n4", "127.0.0.1:1");
        CompletableFuture<Long> second = follower.addMember("n5", "127.0.0.1:2");

        Throwable refused = catchThrowable(() -> second.get(10, TimeUnit.SECONDS));
        assertThat(refused).isInstanceOf(ExecutionException.class);
        NodeException cause = (NodeException) refused.getCause();
        assertThat(cause.kind()).as(cause.getMessage()).isEqualTo(NodeException.Kind.OVERLOADED);
        assertThat(cause.getMessage()).contains("not committed yet");
        assertThat(Await.result(first, Duration.ofSeconds(10))).isPositive();
        assertThat(membershipOfLeader().learners()).containsExactly("n4");
    }

    private io.quorum.raft.protocol.Membership membershipOfLeader() {
        RaftNode<Long> leader = cluster.leader();
        return leader == null ? io.quorum.raft.protocol.Membership.EMPTY : leader.status().membership();
    }

    private RaftNode<Long> aFollower() {
        return followerOtherThan("");
    }

    /** A live follower that knows the leader, other than {@code excluded}. */
    private RaftNode<Long> followerOtherThan(String excluded) {
        RaftNode<Long>[] found = new RaftNode[1];
        Await.until(Duration.ofSeconds(10), () -> {
            found[0] = cluster.live().stream().filter(n -> !n.id().equals(excluded))
                    .filter(n -> n.status().role() == Role.FOLLOWER && n.status().leader() != null)
                    .filter(n -> n.status().membership().isVoter(n.id()))
                    .findFirst().orElse(null);
            return found[0] != null;
        }, () -> "no follower knows a leader: " + cluster.statusLine());
        return found[0];
    }

    /**
     * Asks {@code call} until it succeeds or {@code done} shows its effect. A leader change on this
     * loaded machine may leave one attempt's outcome unknown (TIMEOUT) or refused (NO_LEADER, a
     * promotion still in progress): the effect, not one answer, is what the test waits for.
     */
    private static long settle(String what, java.util.function.Supplier<CompletableFuture<Long>> call,
                               java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return call.get().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (done.getAsBoolean()) {
                    return -1;
                }
                boolean retry = e.getCause() instanceof NodeException n && n.kind() != NodeException.Kind.INVALID;
                if (!retry || System.nanoTime() > deadline) {
                    throw new AssertionError(what + " failed: " + e, e);
                }
                Await.within(Duration.ofMillis(200), done);
            }
        }
    }
}
