package io.quorum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.coord.Applied;
import io.quorum.coord.Command;
import io.quorum.coord.CoordConfig;
import io.quorum.coord.ErrorCode;
import io.quorum.coord.Result;
import io.quorum.raft.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CoordReplicaTest {

    private final CoordReplica replica = new CoordReplica(CoordConfig.DEFAULTS);

    @Test
    void theNodesStampIsTheClusterTimeNotTheProposers() {
        replica.apply(5, 1_000_000, CoordReplica.payloadOf(new Command.OpenSession(10_000, 0)));
        assertThat(clusterTime()).isEqualTo(1_000_000);
        long expiresAt = replica.read(m -> m.session(5).orElseThrow().expiresAt());
        assertThat(expiresAt).isEqualTo(1_010_000);
        // A leader whose clock is behind does not move cluster time back.
        replica.apply(6, 900_000, CoordReplica.payloadOf(new Command.KeepAlive(5)));
        assertThat(clusterTime()).isEqualTo(1_000_000);
    }

    @Test
    void aPayloadThatDoesNotDecodeIsInvalidEverywhereAndAdvancesTheIndex() {
        Applied applied = replica.apply(3, 1, new byte[] {1, 2, 3});
        assertThat(applied.result()).isInstanceOfSatisfying(Result.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        long appliedIndex = replica.read(m -> m.appliedIndex());
        assertThat(appliedIndex).isEqualTo(3);
    }

    @Test
    void snapshotsRestoreAndAnEmptySnapshotIsTheInitialState() {
        replica.apply(2, 10, CoordReplica.payloadOf(new Command.Put("k", new byte[] {7}, Command.ANY_VERSION,
                Command.NO_SESSION, null)));
        byte[] snapshot = replica.snapshot();
        CoordReplica other = new CoordReplica(CoordConfig.DEFAULTS);
        other.restore(snapshot);
        byte[] value = other.read(m -> m.get("k").orElseThrow().value());
        assertThat(value).containsExactly(7);

        other.restore(new byte[0]);
        boolean present = other.read(m -> m.get("k").isPresent());
        assertThat(present).isFalse();
        long restoredIndex = other.read(m -> m.appliedIndex());
        assertThat(restoredIndex).isZero();
    }

    @Test
    void tryReadAnswersAtOnceWhenTheStateIsFreeAndNeverWaitsWhileItIsHeld() throws Exception {
        replica.apply(4, 10, CoordReplica.payloadOf(new Command.Put("k", new byte[] {9}, Command.ANY_VERSION,
                Command.NO_SESSION, null)));
        AtomicReference<Long> answer = new AtomicReference<>();
        assertThat(replica.tryRead(m -> m.appliedIndex(), answer::set)).isTrue();
        assertThat(answer.get()).isEqualTo(4);

        // Another reader holds the state (as an apply or a snapshot would) until released.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Long> held = other.submit(() -> replica.read(m -> {
                holding.countDown();
                Await.until("the test releases the state", Duration.ofSeconds(10), () -> release.getCount() == 0);
                return m.appliedIndex();
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Long> busy = new AtomicReference<>();
            assertThat(replica.tryRead(m -> m.appliedIndex(), busy::set)).isFalse();
            assertThat(busy.get()).isNull();
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(4);
        } finally {
            other.shutdownNow();
        }
        assertThat(replica.tryRead(m -> m.get("k").orElseThrow().value()[0], b -> answer.set((long) b))).isTrue();
        assertThat(answer.get()).isEqualTo(9);
    }

    private long clusterTime() {
        return replica.read(m -> m.clusterTime());
    }
}
