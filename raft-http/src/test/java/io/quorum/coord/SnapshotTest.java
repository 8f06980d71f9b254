package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    /** A state with every kind of thing in it: keys (one ephemeral), holders, a queue, a lockDelay. */
    private static Harness populated() {
        Harness h = new Harness();
        long s1 = h.openSession(60_000, 0);
        long s2 = h.openSession(60_000, 0);
        long crashed = h.openSession(2_000, 10_000);
        h.put("config/a", "1");
        h.run(new Command.Put("members/n1", "up".getBytes(), Command.ANY_VERSION, s1, null));
        h.grant("locks/r", s1, LockMode.SHARED);
        h.grant("locks/r", s2, LockMode.SHARED);
        h.acquire("locks/r", crashed, LockMode.EXCLUSIVE, 30_000);
        h.grant("locks/x", crashed, LockMode.EXCLUSIVE);
        h.acquire("locks/x", s1, LockMode.EXCLUSIVE, 30_000);
        h.run(new Command.Advertise("n1", "127.0.0.1:7001"));
        h.run(new Command.Advertise("n2", "127.0.0.1:7002"));
        h.advance(2_000);
        h.runDueWork();
        return h;
    }

    @Test
    void restoreGivesBackTheSameStateAndBytes() {
        Harness h = populated();
        byte[] snapshot = h.sm.snapshot();
        CoordStateMachine copy = new CoordStateMachine(CoordConfig.DEFAULTS);
        copy.restore(snapshot);
        assertThat(copy.snapshot()).isEqualTo(snapshot);
        assertThat(copy.stateHash()).isEqualTo(h.sm.stateHash());
        assertThat(copy.sessions()).isEqualTo(h.sm.sessions());
        assertThat(copy.lock("locks/x")).isEqualTo(h.sm.lock("locks/x"));
        assertThat(copy.lock("locks/x").orElseThrow().unavailableUntil()).isPositive();
        assertThat(copy.get("members/n1")).isEqualTo(h.sm.get("members/n1"));
        assertThat(copy.appliedIndex()).isEqualTo(h.sm.appliedIndex());
        assertThat(copy.clusterTime()).isEqualTo(h.sm.clusterTime());
        assertThat(copy.memberHttpAddrs()).containsExactly(
                java.util.Map.entry("n1", "127.0.0.1:7001"), java.util.Map.entry("n2", "127.0.0.1:7002"));
        assertThat(copy.dueWork(h.time + 60_000)).isEqualTo(h.sm.dueWork(h.time + 60_000));
    }

    @Test
    void aRestoredReplicaContinuesExactlyLikeOneThatNeverSnapshotted() {
        Harness h = populated();
        Harness other = new Harness();
        other.sm.restore(h.sm.snapshot());
        other.index = h.index;
        other.time = h.time;
        for (Harness x : new Harness[] {h, other}) {
            x.advance(10_000);
            x.runDueWork();
            x.put("config/a", "2");
            x.run(new Command.Release("locks/r", 1));
        }
        assertThat(other.sm.stateHash()).isEqualTo(h.sm.stateHash());
        assertThat(other.sm.lock("locks/x").orElseThrow().holders()).extracting(LockView.Holder::session).containsExactly(1L);
    }

    @Test
    void twoReplicasApplyingTheSameEntriesHaveTheSameHash() {
        assertThat(populated().sm.stateHash()).isEqualTo(populated().sm.stateHash());
        Harness changed = populated();
        changed.put("config/a", "1");
        assertThat(changed.sm.stateHash()).isNotEqualTo(populated().sm.stateHash());
    }

    @Test
    void watchesFromBeforeARestoredSnapshotAreCompacted() {
        Harness h = populated();
        CoordStateMachine copy = new CoordStateMachine(CoordConfig.DEFAULTS);
        copy.restore(h.sm.snapshot());
        assertThat(copy.eventsAfter(h.index - 1, "", 0).compacted()).isTrue();
        assertThat(copy.eventsAfter(h.index, "", 0)).isEqualTo(new EventPage(java.util.List.of(), false));
    }

    @Test
    void corruptSnapshotsAreRejectedAndLeaveTheStateAlone() {
        Harness h = populated();
        byte[] snapshot = h.sm.snapshot();
        CoordStateMachine target = new CoordStateMachine(CoordConfig.DEFAULTS);
        String emptyHash = target.stateHash();
        for (int length = 0; length < snapshot.length; length++) {
            byte[] cut = Arrays.copyOf(snapshot, length);
            assertThatThrownBy(() -> target.restore(cut)).isInstanceOf(MalformedPayloadException.class);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = snapshot.clone();
            garbage[random.nextInt(garbage.length)] ^= (byte) (1 << random.nextInt(8));
            try {
                target.restore(garbage);
                target.restore(target.snapshot());
            } catch (MalformedPayloadException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        CoordStateMachine fresh = new CoordStateMachine(CoordConfig.DEFAULTS);
        // No keys, no sessions, one lock held by session 1, which the snapshot does not contain.
        byte[] dangling = new WireWriter(32).byte_('Q').byte_('S').byte_(1).varLong(5).varLong(0)
                .varLong(0).varLong(0).varLong(1).string("lock").varLong(0).varLong(0)
                .varLong(1).varLong(1).varLong(2).varLong(0).toByteArray();
        assertThatThrownBy(() -> fresh.restore(dangling))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("session 1");
        assertThat(fresh.stateHash()).isEqualTo(emptyHash);
    }

    @Test
    void aSnapshotOutOfCanonicalOrderIsRejected() {
        byte[] twice = new WireWriter(32).byte_('Q').byte_('S').byte_(1).varLong(5).varLong(0)
                .varLong(2).string("k").bytes(new byte[0]).varLong(1).varLong(1).varLong(1).varLong(0)
                .string("k").bytes(new byte[0]).varLong(1).varLong(2).varLong(2).varLong(0)
                .varLong(0).varLong(0).toByteArray();
        assertThatThrownBy(() -> new CoordStateMachine(CoordConfig.DEFAULTS).restore(twice))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("out of order");
        byte[] sessionsTwice = new WireWriter(32).byte_('Q').byte_('S').byte_(1).varLong(5).varLong(0)
                .varLong(0).varLong(2).varLong(3).varLong(1000).varLong(0).varLong(9)
                .varLong(3).varLong(1000).varLong(0).varLong(9).varLong(0).toByteArray();
        assertThatThrownBy(() -> new CoordStateMachine(CoordConfig.DEFAULTS).restore(sessionsTwice))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("session ids out of order");
    }

    @Test
    void aFormatOneSnapshotReadsAsOneWithoutMembersAddresses() {
        byte[] versionOne = new WireWriter(32).byte_('Q').byte_('S').byte_(1).varLong(5).varLong(7)
                .varLong(1).string("k").bytes(new byte[] {1}).varLong(1).varLong(3).varLong(3).varLong(0)
                .varLong(0).varLong(0).toByteArray();
        CoordStateMachine restored = new CoordStateMachine(CoordConfig.DEFAULTS);
        restored.restore(versionOne);
        assertThat(restored.get("k")).isPresent();
        assertThat(restored.memberHttpAddrs()).isEmpty();
        assertThat(restored.snapshot()[2]).as("written in the current format").isEqualTo((byte) 2);
    }

    @Test
    void anEmptyAddressForgetsTheMember() {
        Harness h = new Harness();
        assertThat(h.run(new Command.Advertise("n2", "10.0.0.2:7001")))
                .isEqualTo(new Result.MemberAdvertised("n2", "10.0.0.2:7001"));
        h.run(new Command.Advertise("n2", ""));
        assertThat(h.sm.memberHttpAddrs()).isEmpty();
        assertThat(h.run(new Command.Advertise("", "x:1"))).isInstanceOf(Result.Failure.class);
    }
}
