package io.quorum.it.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorum.it.history.HistoryOp.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault scenarios' checkers on known-good and known-bad histories. */
class HistoryCheckersTest {

    private final List<HistoryOp> ops = new ArrayList<>();
    private final List<WatchedEvent> events = new ArrayList<>();

    private void op(String client, String op, String key, String value, long version, long invoke, long complete,
                    Outcome outcome) {
        ops.add(new HistoryOp(ops.size(), client, op, key, value, version, 0, 0, invoke, complete, outcome, null));
    }

    private void lockOp(String op, String key, long session, long token, long invoke, long complete, Outcome outcome) {
        ops.add(new HistoryOp(ops.size(), "s" + session, op, key, "", -1, session, token, invoke, complete, outcome, null));
    }

    private void event(long index, String type, String key, long version, long session, long token) {
        events.add(new WatchedEvent(index, type, key, version, session, token, index));
    }

    @Test
    void registersWithWritesCompareAndSetsAndATimeoutAreLinearizable() {
        op("c1", "write", "r1", "a", -1, 0, 10, Outcome.ok);
        op("c2", "read", "r1", "a", 1, 11, 20, Outcome.ok);
        op("c2", "cas", "r1", "b", 1, 21, 30, Outcome.ok);
        op("c3", "write", "r1", "c", -1, 25, 40, Outcome.info);
        op("c3", "cas", "r1", "x", 1, 41, 45, Outcome.fail);
        op("c1", "read", "r1", "c", 3, 50, 60, Outcome.ok);
        op("c1", "read", "r2", "", 0, 50, 60, Outcome.ok);
        assertThat(RegisterChecker.check(ops)).isEmpty();
    }

    @Test
    void anAcknowledgedWriteMissingFromALaterReadIsAViolation() {
        op("c1", "write", "r1", "a", -1, 0, 10, Outcome.ok);
        op("c2", "write", "r1", "b", -1, 11, 20, Outcome.ok);
        op("c3", "read", "r1", "a", 2, 21, 30, Outcome.ok);
        assertThat(RegisterChecker.check(ops)).singleElement().asString().startsWith("registers not linearizable: key r1");
    }

    @Test
    void twoCompareAndSetsFromOneVersionAreAViolation() {
        op("c1", "write", "r1", "a", -1, 0, 10, Outcome.ok);
        op("c2", "cas", "r1", "b", 1, 11, 20, Outcome.ok);
        op("c3", "cas", "r1", "c", 1, 12, 21, Outcome.ok);
        assertThat(RegisterChecker.check(ops)).hasSize(1);
    }

    @Test
    void aSearchThatGivesUpIsReportedAsUnknownNotAsAPass() {
        for (int i = 0; i < 30; i++) {
            op("w" + i, "write", "r1", "v" + i, -1, 0, 1_000, Outcome.ok);
            op("r" + i, "read", "r1", "v" + i, i + 1, 10, 1_000, Outcome.ok);
        }
        assertThat(RegisterChecker.check(ops, 20, Duration.ofMinutes(1))).singleElement().asString()
                .startsWith("registers unknown");
    }

    @Test
    void locksWithIncreasingTokensAndACompleteCounterAreSafe() {
        lockOp("acquire", "l", 1, 5, 0, 10, Outcome.ok);
        lockOp("incr", "l/counter", 1, 5, 11, 20, Outcome.ok);
        lockOp("release", "l", 1, 5, 21, 30, Outcome.ok);
        lockOp("acquire", "l", 2, 9, 15, 40, Outcome.ok);
        lockOp("incr", "l/counter", 2, 9, 41, 50, Outcome.info);
        event(5, "lock", "l", 0, 1, 5);
        event(8, "unlock", "l", 0, 1, 0);
        event(9, "lock", "l", 0, 2, 9);
        event(12, "session-expired", "", 0, 2, 0);
        assertThat(LockChecker.check(ops, events, "l/counter", 1)).isEmpty();
        assertThat(LockChecker.check(ops, events, "l/counter", 2)).as("the unknown increment took effect").isEmpty();
    }

    @Test
    void aLostIncrementATokenGoingBackAndAGrantToAnExpiredSessionAreViolations() {
        lockOp("acquire", "l", 1, 9, 0, 10, Outcome.ok);
        lockOp("incr", "l/counter", 1, 9, 11, 20, Outcome.ok);
        lockOp("acquire", "l", 2, 7, 30, 40, Outcome.ok);
        lockOp("incr", "l/counter", 2, 7, 41, 50, Outcome.ok);
        event(9, "lock", "l", 0, 1, 9);
        event(10, "session-expired", "", 0, 3, 0);
        event(11, "lock", "l", 0, 3, 11);
        event(12, "lock", "l", 0, 2, 7);
        List<String> violations = LockChecker.check(ops, events, "l/counter", 1);
        assertThat(violations).anyMatch(v -> v.contains("lost increments"))
                .anyMatch(v -> v.contains("after it expired"))
                .anyMatch(v -> v.contains("does not increase"))
                .anyMatch(v -> v.startsWith("grant "));
        assertThat(LockChecker.check(ops, List.of(), "l/counter", 3)).anyMatch(v -> v.contains("more than"))
                .noneMatch(v -> v.contains("lost increments"));
    }

    @Test
    void aWatchInIndexOrderWithEveryVersionIsComplete() {
        event(3, "put", "k", 1, 0, 0);
        event(4, "lock", "l", 0, 1, 4);
        event(4, "lock", "l", 0, 2, 4);
        event(7, "put", "k", 2, 0, 0);
        event(8, "put", "other", 5, 0, 0);
        assertThat(WatchChecker.check(events, Map.of("k", 2L))).isEmpty();
    }

    @Test
    void aWatchOutOfOrderWithADuplicateOrAMissingEventIsAViolation() {
        event(3, "put", "k", 1, 0, 0);
        event(7, "put", "k", 3, 0, 0);
        event(5, "put", "j", 1, 0, 0);
        event(5, "put", "j", 1, 0, 0);
        List<String> violations = WatchChecker.check(events, Map.of("k", 4L, "j", 1L));
        assertThat(violations).anyMatch(v -> v.contains("arrived after"))
                .anyMatch(v -> v.contains("arrived twice"))
                .anyMatch(v -> v.contains("version 2 was due"))
                .anyMatch(v -> v.contains("puts up to 3"));
    }

    @Test
    void aHistoryIsSavedAsJson(@TempDir Path dir) throws Exception {
        History history = new History();
        long invoke = history.now();
        history.record("c1", "write", "k", "v", -1, 0, 0, invoke, Outcome.info, "timeout");
        history.fault("kill -9 n1");
        Path saved = history.save(dir.resolve("h.json"), List.of("a violation"));
        String json = Files.readString(saved);
        assertThat(json).contains("\"violations\"", "a violation", "kill -9 n1", "\"outcome\" : \"info\"", "timeout");
        assertThat(history.ops().get(0).complete()).isGreaterThanOrEqualTo(invoke);
    }
}
