package io.quorum.it;

import io.quorum.client.KeyValue;
import io.quorum.client.LockGrant;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.client.WriteOptions;
import io.quorum.it.history.History;
import io.quorum.it.history.HistoryOp.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Lock clients, each with a session of its own: acquire the exclusive lock {@code <prefix>lock},
 * read the counter {@code <prefix>counter}, write it plus one fenced with the grant's token
 * ({@code X-Quorum-Fence}), release. Every step is recorded in the {@link History}; a session found
 * gone is recorded as {@code expired} and replaced.
 */
final class LockClients extends ClientThreads {

    static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final QuorumClient client;
    private final String lock;
    private final String counter;
    private final long[] sessions;

    LockClients(History history, QuorumClient client, String prefix, int clients, long seed) {
        super(history, "locker", clients, seed);
        this.client = client;
        this.lock = prefix + "lock";
        this.counter = prefix + "counter";
        this.sessions = new long[clients];
        start();
    }

    String counterKey() {
        return counter;
    }

    @Override
    void step(String name, int index, int n, SplittableRandom random) {
        long session = session(name, index);
        if (session == 0) {
            return;
        }
        long invoke = history.now();
        LockGrant grant;
        try {
            grant = client.acquire(lock, session, false, WAIT);
            history.record(name, "acquire", lock, "", -1, session, grant.token(), invoke, Outcome.ok, null);
        } catch (RuntimeException e) {
            history.record(name, "acquire", lock, "", -1, session, 0, invoke, ClientHistory.outcomeOf(e),
                    ClientHistory.describe(e));
            return;
        }
        increment(name, session, grant.token());
        invoke = history.now();
        try {
            client.release(lock, session);
            history.record(name, "release", lock, "", -1, session, grant.token(), invoke, Outcome.ok, null);
        } catch (RuntimeException e) {
            history.record(name, "release", lock, "", -1, session, grant.token(), invoke, ClientHistory.outcomeOf(e),
                    ClientHistory.describe(e));
        }
    }

    /** This client's live session, renewed; a new one when it was gone; 0 when none could be had. */
    private long session(String name, int index) {
        if (sessions[index] != 0) {
            long invoke = history.now();
            try {
                client.keepAlive(sessions[index]);
                return sessions[index];
            } catch (QuorumException e) {
                if (!"SESSION_NOT_FOUND".equals(e.code())) {
                    return sessions[index];
                }
                history.record(name, "expired", lock, "", -1, sessions[index], 0, invoke, Outcome.ok, null);
                sessions[index] = 0;
            }
        }
        try {
            sessions[index] = client.openSession(TTL, Duration.ZERO).id();
        } catch (RuntimeException e) {
            // Unavailable now (or opened without our knowing, to expire unused): try again next step.
        }
        return sessions[index];
    }

    private void increment(String name, long session, long token) {
        long invoke = history.now();
        long current;
        try {
            Optional<KeyValue> kv = client.get(counter);
            current = kv.map(v -> Long.parseLong(new String(v.value(), StandardCharsets.UTF_8))).orElse(0L);
        } catch (RuntimeException e) {
            history.record(name, "incr", counter, "", -1, session, token, invoke, Outcome.fail, "read: " + ClientHistory.describe(e));
            return;
        }
        String next = Long.toString(current + 1);
        try {
            client.put(counter, next.getBytes(StandardCharsets.UTF_8), WriteOptions.NONE.withFence(lock, token));
            history.record(name, "incr", counter, next, -1, session, token, invoke, Outcome.ok, null);
        } catch (RuntimeException e) {
            history.record(name, "incr", counter, next, -1, session, token, invoke, ClientHistory.outcomeOf(e),
                    ClientHistory.describe(e));
        }
    }

    /** After {@link #close}: the counter read linearizably (0 when never written). */
    long finalCounter() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return client.get(counter).map(v -> Long.parseLong(new String(v.value(), StandardCharsets.UTF_8))).orElse(0L);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new AssertionError("no final read of " + counter + " answered", last);
    }

    long operations() {
        return history.ops().stream().filter(o -> o.client().startsWith("locker")).count();
    }
}
