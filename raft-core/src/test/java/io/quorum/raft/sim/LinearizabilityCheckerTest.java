package io.quorum.raft.sim;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Known linearizable and known non-linearizable register histories. */
class LinearizabilityCheckerTest {

    private final List<Operation> history = new ArrayList<>();

    private void write(String key, String value, long invoke, long complete) {
        history.add(new Operation(history.size(), "c" + history.size(), key, true, value, invoke, complete));
    }

    private void read(String key, String value, long invoke, long complete) {
        history.add(new Operation(history.size(), "c" + history.size(), key, false, value, invoke, complete));
    }

    private void cas(String key, long expected, String value, long invoke, long complete) {
        history.add(new Operation(history.size(), "c" + history.size(), key, Operation.Kind.CAS, value, expected, invoke,
                complete));
    }

    private void readVersion(String key, String value, long version, long invoke, long complete) {
        history.add(new Operation(history.size(), "c" + history.size(), key, Operation.Kind.READ, value, version, invoke,
                complete));
    }

    private boolean linearizable() {
        return LinearizabilityChecker.check(history).linearizable();
    }

    @Test
    void sequentialWritesAndReads() {
        write("x", "a", 0, 1);
        read("x", "a", 2, 3);
        write("x", "b", 4, 5);
        read("x", "b", 6, 7);
        assertThat(linearizable()).isTrue();
    }

    @Test
    void staleReadAfterACompletedWriteIsNotLinearizable() {
        write("x", "a", 0, 1);
        write("x", "b", 2, 3);
        read("x", "a", 4, 5);
        assertThat(linearizable()).isFalse();
    }

    @Test
    void concurrentWriteMayBeSeenOrNot() {
        write("x", "a", 0, 1);
        write("x", "b", 2, 10);
        read("x", "b", 3, 4);
        read("x", "a", 5, 6);
        // b was seen at 4, so b took effect before 4; a read at 5..6 cannot see a again
        assertThat(linearizable()).isFalse();
    }

    @Test
    void concurrentReadsOnEitherSideOfAWrite() {
        write("x", "a", 0, 1);
        write("x", "b", 2, 10);
        read("x", "a", 3, 4);
        read("x", "b", 5, 6);
        assertThat(linearizable()).isTrue();
    }

    @Test
    void readOfTheInitialValueBeforeAnyWrite() {
        read("x", Operation.NONE, 0, 1);
        write("x", "a", 2, 3);
        read("x", Operation.NONE, 4, 5);
        assertThat(linearizable()).isFalse();
    }

    @Test
    void unknownWriteMayTakeEffectLate() {
        write("x", "a", 0, Operation.UNKNOWN);
        read("x", Operation.NONE, 5, 6);
        read("x", "a", 100, 101);
        assertThat(linearizable()).isTrue();
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItWasInvoked() {
        read("x", "a", 0, 1);
        write("x", "a", 2, Operation.UNKNOWN);
        assertThat(linearizable()).isFalse();
    }

    @Test
    void unknownWriteThatNobodyReadIsIgnored() {
        write("x", "a", 0, 1);
        write("x", "b", 2, Operation.UNKNOWN);
        read("x", "a", 3, 4);
        assertThat(linearizable()).isTrue();
    }

    @Test
    void readOfAValueNeverWritten() {
        read("x", "ghost", 0, 1);
        assertThat(linearizable()).isFalse();
    }

    @Test
    void valueReadBackAfterBeingOverwrittenIsNotLinearizable() {
        write("x", "a", 0, 1);
        read("x", "a", 2, 3);
        write("x", "b", 4, 5);
        read("x", "b", 6, 7);
        read("x", "a", 8, 9);
        assertThat(linearizable()).isFalse();
    }

    @Test
    void keysAreIndependentRegisters() {
        write("x", "a", 0, 1);
        write("y", "b", 2, 3);
        read("x", "a", 4, 5);
        read("y", "b", 4, 5);
        assertThat(linearizable()).isTrue();
        read("y", Operation.NONE, 6, 7);
        assertThat(LinearizabilityChecker.check(history).explanation()).startsWith("key y:");
    }

    @Test
    void manyConcurrentClientsStayTractable() {
        long t = 0;
        for (int i = 0; i < 300; i++) {
            write("x", "v" + i, t, t + 7);
            read("x", "v" + i, t + 3, t + 9);
            write("x", "u" + i, t + 1, Operation.UNKNOWN);
            t += 5;
        }
        assertThat(linearizable()).isTrue();
    }

    @Test
    void compareAndSetTakesEffectOnlyAtTheVersionItExpected() {
        write("x", "a", 0, 1);
        readVersion("x", "a", 1, 2, 3);
        cas("x", 1, "b", 4, 5);
        readVersion("x", "b", 2, 6, 7);
        assertThat(linearizable()).isTrue();
    }

    @Test
    void twoCompareAndSetsOnOneVersionCannotBothSucceed() {
        write("x", "a", 0, 1);
        cas("x", 1, "b", 2, 5);
        cas("x", 1, "c", 3, 6);
        assertThat(linearizable()).isFalse();
    }

    @Test
    void anUnknownWriteThatNobodyReadStillMovesTheVersionWhenVersionsAreSeen() {
        write("x", "a", 0, 1);
        write("x", "lost?", 2, Operation.UNKNOWN);
        readVersion("x", "a", 2, 5, 6);
        assertThat(linearizable()).as("the unknown write took effect and was overwritten? no: nothing came after it")
                .isFalse();
        history.clear();
        write("x", "a", 0, 1);
        write("x", "maybe", 2, Operation.UNKNOWN);
        write("x", "b", 3, 4);
        readVersion("x", "b", 3, 5, 6);
        assertThat(linearizable()).as("the unknown write took effect before b").isTrue();
        readVersion("x", "b", 2, 7, 8);
        assertThat(linearizable()).as("the version cannot go back").isFalse();
    }

    @Test
    void anUnknownCompareAndSetMayHaveFailedOrSucceeded() {
        write("x", "a", 0, 1);
        cas("x", 1, "b", 2, Operation.UNKNOWN);
        readVersion("x", "a", 1, 3, 4);
        assertThat(linearizable()).isTrue();
        read("x", "b", 5, 6);
        assertThat(linearizable()).isTrue();
        readVersion("x", "a", 1, 7, 8);
        assertThat(linearizable()).isFalse();
    }

    @Test
    void aSearchPastItsBoundIsUnknownNeverLinearizable() {
        for (int i = 0; i < 40; i++) {
            write("x", "v" + i, 0, 1_000);
            readVersion("x", "v" + i, i + 1, 10, 1_000);
        }
        LinearizabilityChecker.Result bounded = LinearizabilityChecker.check(history, 50, Duration.ofMinutes(1));
        assertThat(bounded.verdict()).isEqualTo(LinearizabilityChecker.Verdict.UNKNOWN);
        assertThat(bounded.linearizable()).isFalse();
        assertThat(LinearizabilityChecker.check(history, Integer.MAX_VALUE, Duration.ZERO).verdict())
                .isIn(LinearizabilityChecker.Verdict.UNKNOWN);
    }
}
