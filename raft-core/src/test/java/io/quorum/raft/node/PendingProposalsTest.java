package io.quorum.raft.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingProposalsTest {

    private static final long FAR = Long.MAX_VALUE;

    private final PendingProposals<String> pending = new PendingProposals<>(NodeMetrics.NONE);

    @Test
    void aProposalCompletedAtItsIndexIsNotFailedWhenThatIndexIsApplied() {
        long id = pending.register(FAR);
        CompletableFuture<String> future = pending.future(id);
        pending.assigned(id, 5, 4);
        pending.completed(id, "done");
        pending.appliedUpTo(5);

        assertThat(future).isCompletedWithValue("done");
        assertThat(pending.size()).isZero();
    }

    @Test
    void aProposalStillOpenWhenItsIndexIsAppliedLostItsEntry() {
        long kept = pending.register(FAR);
        long lost = pending.register(FAR);
        long later = pending.register(FAR);
        CompletableFuture<String> keptFuture = pending.future(kept);
        CompletableFuture<String> lostFuture = pending.future(lost);
        pending.assigned(kept, 5, 4);
        pending.assigned(lost, 6, 4);
        pending.assigned(later, 8, 4);
        pending.completed(kept, "done");
        pending.appliedUpTo(7);

        assertThat(keptFuture).isCompletedWithValue("done");
        assertFailsWith(lostFuture, NodeException.Kind.NOT_COMMITTED);
        assertThat(pending.isWaiting(later)).isTrue();
    }

    @Test
    void proposalsASnapshotSkippedOverHaveAnUnknownOutcome() {
        long id = pending.register(FAR);
        CompletableFuture<String> future = pending.future(id);
        pending.assigned(id, 9, 4);
        pending.skippedBySnapshot(20);

        assertFailsWith(future, NodeException.Kind.TIMEOUT);
        assertThat(pending.isWaiting(id)).isFalse();
    }

    private static void assertFailsWith(CompletableFuture<String> future, NodeException.Kind kind) {
        assertThatThrownBy(future::join)
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
