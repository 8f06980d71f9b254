package io.quorum.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadBarriersTest {

    private final ReadBarriers barriers = new ReadBarriers();
    private final AtomicLong applied = new AtomicLong(5);

    @Test
    void aReadConfirmedAtAnIndexAlreadyAppliedIsReleasedAtOnce() {
        CompletableFuture<Long> read = new CompletableFuture<>();
        long id = barriers.register(read, Long.MAX_VALUE);
        barriers.confirmed(id, 4, applied::get);
        assertThat(read).isCompletedWithValue(5L);
    }

    @Test
    void aReadWhoseIndexTheApplyThreadReachedWhileItWasBeingConfirmedIsReleased() {
        CompletableFuture<Long> read = new CompletableFuture<>();
        long id = barriers.register(read, Long.MAX_VALUE);
        // The apply thread applies up to the read index and releases before the protocol thread
        // has put the confirmed read in place: the protocol thread must see the new applied index.
        applied.set(10);
        barriers.released(10);
        barriers.confirmed(id, 10, applied::get);
        assertThat(read).isCompletedWithValue(10L);
    }

    @Test
    void readsWaitForTheirIndexAndAreReleasedInOrder() {
        CompletableFuture<Long> early = new CompletableFuture<>();
        CompletableFuture<Long> late = new CompletableFuture<>();
        CompletableFuture<Long> sameIndex = new CompletableFuture<>();
        barriers.confirmed(barriers.register(early, Long.MAX_VALUE), 7, applied::get);
        barriers.confirmed(barriers.register(late, Long.MAX_VALUE), 9, applied::get);
        barriers.confirmed(barriers.register(sameIndex, Long.MAX_VALUE), 7, applied::get);
        assertThat(early).isNotDone();
        barriers.released(8);
        assertThat(early).isCompletedWithValue(8L);
        assertThat(sameIndex).isCompletedWithValue(8L);
        assertThat(late).isNotDone();
        barriers.released(9);
        assertThat(late).isCompletedWithValue(9L);
    }
}
