package io.quorum.coord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link CoordStateMachine} the way the node does: every command is stamped with the
 * harness clock, encoded, and applied at the next index. The clock moves only when a test says so.
 */
final class Harness {

    final CoordStateMachine sm;
    long index;
    long time = 1_000_000;

    Harness() {
        this(CoordConfig.DEFAULTS);
    }

    Harness(CoordConfig config) {
        sm = new CoordStateMachine(config);
    }

    Applied apply(Command c) {
        return sm.apply(++index, CommandCodec.encode(new StampedCommand(time, c)));
    }

    Result run(Command c) {
        return apply(c).result();
    }

    <T extends Result> T ok(Command c, Class<T> type) {
        Result r = run(c);
        assertThat(r).as("result of %s", c).isInstanceOf(type);
        return type.cast(r);
    }

    ErrorCode error(Command c) {
        Result r = run(c);
        assertThat(r).as("result of %s", c).isInstanceOf(Result.Failure.class);
        return ((Result.Failure) r).code();
    }

    long openSession(long ttlMillis, long lockDelayMillis) {
        return ok(new Command.OpenSession(ttlMillis, lockDelayMillis), Result.SessionOpened.class).session();
    }

    long openSession() {
        return openSession(15_000, 0);
    }

    void advance(long millis) {
        time += millis;
    }

    /** What the leader does on its timer: propose every command {@link CoordStateMachine#dueWork} lists. */
    List<Applied> runDueWork() {
        List<Applied> out = new ArrayList<>();
        for (Command c : sm.dueWork(time)) {
            out.add(apply(c));
        }
        return out;
    }

    Result.KeyWritten put(String key, String value) {
        return ok(new Command.Put(key, value.getBytes(), Command.ANY_VERSION, Command.NO_SESSION, null),
                Result.KeyWritten.class);
    }

    Result acquire(String key, long session, LockMode mode, long waitMillis) {
        return run(new Command.Acquire(key, session, mode, waitMillis));
    }

    long grant(String key, long session, LockMode mode) {
        return ok(new Command.Acquire(key, session, mode, 0), Result.LockGranted.class).token();
    }
}
