package io.quorum.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps one session alive in the background: a keepalive every ttl/3 until {@link #close()}, which
 * also closes the session.
 *
 * <p>The session counts as lost ({@link #lost()} completes) when the cluster answers that it no
 * longer exists, or when a whole ttl has passed since the last keepalive that was answered was
 * sent (checked every ttl/10, whether or not a keepalive is still waiting for its answer). The
 * second is conservative: the cluster may still hold the session (a new leader grants a fresh
 * ttl), but a holder of a lock can no longer be sure it holds it, and must act as if not. A failed
 * keepalive is retried sooner (ttl/10) until then.
 */
public final class SessionKeeper implements AutoCloseable {

    private final QuorumClient client;
    private final Session session;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private volatile long lastAnsweredSentAt;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SessionKeeper(QuorumClient client, Session session) {
        this.client = client;
        this.session = session;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quorum-session-" + session.id());
            t.setDaemon(true);
            return t;
        });
        this.lastAnsweredSentAt = System.nanoTime();
    }

    /** Starts keeping {@code session} alive; the session was opened just before. */
    public static SessionKeeper start(QuorumClient client, Session session) {
        SessionKeeper keeper = new SessionKeeper(client, session);
        keeper.schedule(keeper.interval());
        long check = Math.max(1, session.ttl().dividedBy(10).toMillis());
        keeper.timer.scheduleWithFixedDelay(keeper::checkAnsweredWithinTtl, check, check, TimeUnit.MILLISECONDS);
        return keeper;
    }

    public Session session() {
        return session;
    }

    /** Completes, with the reason, when the session is lost; never when it is closed by {@link #close()}. */
    public CompletableFuture<String> lost() {
        return lost;
    }

    private Duration interval() {
        return session.ttl().dividedBy(3);
    }

    private void checkAnsweredWithinTtl() {
        if (!closed.get() && System.nanoTime() - lastAnsweredSentAt >= session.ttl().toNanos()) {
            lost.complete("no keepalive of session " + session.id() + " was answered for its ttl of "
                    + DurationText.format(session.ttl()));
        }
    }

    private void schedule(Duration delay) {
        if (!closed.get() && !lost.isDone()) {
            timer.schedule(this::keepAlive, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void keepAlive() {
        if (closed.get() || lost.isDone()) {
            return;
        }
        long sentAt = System.nanoTime();
        client.keepAliveAsync(session.id()).whenComplete((renewed, failure) -> {
            if (closed.get()) {
                return;
            }
            if (failure == null) {
                lastAnsweredSentAt = sentAt;
                schedule(interval());
                return;
            }
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof QuorumException q && "SESSION_NOT_FOUND".equals(q.code())) {
                lost.complete("session " + session.id() + " has ended: " + q.getMessage());
                return;
            }
            if (System.nanoTime() - lastAnsweredSentAt >= session.ttl().toNanos()) {
                lost.complete("no keepalive of session " + session.id() + " was answered for its ttl of "
                        + DurationText.format(session.ttl()) + ": " + cause.getMessage());
                return;
            }
            schedule(session.ttl().dividedBy(10));
        });
    }

    /**
     * Stops the keepalives and closes the session (releasing its locks); an already ended session
     * is fine, and so is a second call.
     *
     * @throws QuorumException when the session could not be closed; it then expires after its ttl
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        try {
            client.closeSession(session.id());
        } catch (QuorumException e) {
            if (!"SESSION_NOT_FOUND".equals(e.code())) {
                throw e;
            }
        }
    }
}
