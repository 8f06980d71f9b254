package io.quorum.it;

import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.it.history.History;
import io.quorum.it.history.HistoryOp.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that each keep a share of many sessions alive, renewing every one about three times per
 * ttl, and record each keepalive in the {@link History}. A session found gone although a keepalive
 * of it was answered less than a ttl before (counted from that keepalive's invocation, before the
 * renewal could take effect, to the answer that it is gone) is a violation; a session that expired
 * for want of answered keepalives is replaced.
 */
final class SessionKeepers extends ClientThreads {

    static final Duration TTL = Duration.ofSeconds(15);

    private final QuorumClient client;
    private final long[][] sessions;
    private final long[][] lastAnswered;
    private final List<String> violations = new ArrayList<>();

    SessionKeepers(History history, QuorumClient client, int threads, int sessionsEach, long seed) {
        super(history, "keeper", threads, seed);
        this.client = client;
        this.sessions = new long[threads][sessionsEach];
        this.lastAnswered = new long[threads][sessionsEach];
        for (int t = 0; t < threads; t++) {
            for (int s = 0; s < sessionsEach; s++) {
                sessions[t][s] = client.openSession(TTL, Duration.ZERO).id();
                lastAnswered[t][s] = history.now();
            }
        }
        start();
    }

    @Override
    void step(String name, int thread, int n, SplittableRandom random) {
        long round = System.nanoTime();
        for (int s = 0; s < sessions[thread].length && running(); s++) {
            renew(name, thread, s);
        }
        long pause = TTL.toNanos() / 3 - (System.nanoTime() - round);
        if (pause > 0 && running()) {
            LockSupport.parkNanos(Math.min(pause, TimeUnit.MILLISECONDS.toNanos(500)));
        }
    }

    private void renew(String name, int thread, int s) {
        long session = sessions[thread][s];
        long invoke = history.now();
        try {
            client.keepAlive(session);
            history.record(name, "keepalive", "session/" + session, "", -1, session, 0, invoke, Outcome.ok, null);
            lastAnswered[thread][s] = invoke;
        } catch (QuorumException e) {
            history.record(name, "keepalive", "session/" + session, "", -1, session, 0, invoke, ClientHistory.outcomeOf(e),
                    ClientHistory.describe(e));
            if ("SESSION_NOT_FOUND".equals(e.code())) {
                long gone = history.now();
                if (gone - lastAnswered[thread][s] < TTL.toNanos()) {
                    synchronized (violations) {
                        violations.add("session " + session + " expired " + TimeUnit.NANOSECONDS.toMillis(gone - lastAnswered[thread][s])
                                + " ms after a keepalive that was answered, with a ttl of " + TTL.toMillis() + " ms");
                    }
                }
                replace(thread, s);
            }
        } catch (RuntimeException e) {
            history.record(name, "keepalive", "session/" + session, "", -1, session, 0, invoke, Outcome.info,
                    ClientHistory.describe(e));
        }
    }

    private void replace(int thread, int s) {
        try {
            sessions[thread][s] = client.openSession(TTL, Duration.ZERO).id();
            lastAnswered[thread][s] = history.now();
        } catch (RuntimeException e) {
            // The next round tries this slot's old id again, finds it gone and replaces it then.
        }
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }
}
