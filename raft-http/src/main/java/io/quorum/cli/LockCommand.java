package io.quorum.cli;

import io.quorum.client.DurationText;
import io.quorum.client.LockGrant;
import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.client.Session;
import io.quorum.client.SessionKeeper;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quorum lock KEY -- CMD [ARGS…]}: runs CMD while holding a lock. Opens a session, acquires
 * KEY, runs CMD as a child process with inherited stdio and the grant in its environment, keeps
 * the session alive meanwhile, then releases the lock, closes the session and exits with CMD's
 * status.
 *
 * <p>When the session is lost while CMD runs, another client may be granted the lock, so CMD no
 * longer holds it: CMD is terminated (SIGTERM, then SIGKILL after a grace period) rather than left
 * running unprotected. A CMD that must stay safe even before it is stopped uses the fencing token.
 */
@Command(name = "lock", mixinStandardHelpOptions = true,
        description = {"Runs CMD while holding lock KEY: opens a session, acquires KEY, runs CMD with "
                + "QUORUM_LOCK_TOKEN (the fencing token), QUORUM_LOCK_KEY and QUORUM_SESSION in its environment, "
                + "keeps the session alive meanwhile, then releases the lock and closes the session.",
                "If the session is lost while CMD runs (it ended, or no keepalive was answered for a whole ttl), "
                        + "the lock may be granted to someone else: CMD is terminated (SIGTERM, then SIGKILL after "
                        + "5s) and the command exits 1.",
                "Example: quorum lock jobs/nightly --wait 1m -- ./nightly.sh --full"},
        exitCodeListHeading = ClientCommand.EXIT_CODES_HEADING,
        exitCodeList = {"<CMD's>:CMD ran; its exit status", "1:the lock was not obtained (LOCK_HELD after --wait), "
                + "another API error, or the session was lost while CMD ran", "2:usage error",
                "127:CMD could not be started"})
final class LockCommand extends ClientCommand {

    static final int CANNOT_RUN = 127;
    /** The longest single acquire; a longer (or endless) wait re-issues it, which is safe: the same session gets the same grant. */
    private static final Duration LONGEST_ACQUIRE = Duration.ofMinutes(5);
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);

    @Parameters(index = "0", paramLabel = "KEY", description = "The lock's key.")
    String key;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments, after --.")
    List<String> command;

    @Option(names = "--ttl", defaultValue = "15s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "The session's ttl, 1s to 1h: how soon the lock frees itself if this process dies (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--wait", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long to wait for the lock; 0s tries once (default: as long as it takes).")
    Duration wait;

    @Option(names = "--shared", description = "Take the lock in shared mode (with other shared holders).")
    boolean shared;

    /** CMD once started: a shutdown of this process (SIGTERM, Ctrl-C) terminates it before the lock is released. */
    private volatile Process child;

    @Override
    int run(QuorumClient client) throws Exception {
        Session session = client.openSession(ttl, Duration.ZERO);
        SessionKeeper keeper = SessionKeeper.start(client, session);
        Thread onInterrupt = new Thread(() -> {
            Process running = child;
            try {
                if (running != null) {
                    terminate(running);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            keeper.close();
        }, "quorum-lock-release");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            LockGrant grant = acquire(client, keeper);
            return runHolding(grant, keeper);
        } finally {
            release(client, keeper);
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs (or ran) anyway.
            }
        }
    }

    /**
     * Acquires with waits of at most {@link #LONGEST_ACQUIRE} until granted or {@code --wait} has
     * passed. An acquire that failed without a refusal (no leader, timeout) is repeated too.
     */
    private LockGrant acquire(QuorumClient client, SessionKeeper keeper) {
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline == Long.MAX_VALUE ? LONGEST_ACQUIRE.toNanos() : Math.max(0, deadline - System.nanoTime());
            Duration chunk = Duration.ofNanos(Math.min(left, LONGEST_ACQUIRE.toNanos())).truncatedTo(ChronoUnit.MILLIS);
            try {
                return client.acquire(key, keeper.session().id(), shared, chunk);
            } catch (QuorumException e) {
                boolean retriable = "LOCK_HELD".equals(e.code()) || e.status() == 503 || e.status() == 429
                        || e.outcomeUnknown();
                if (!retriable || keeper.lost().isDone() || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
        }
    }

    private int runHolding(LockGrant grant, SessionKeeper keeper) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = builder.environment();
        env.put("QUORUM_LOCK_TOKEN", Long.toString(grant.token()));
        env.put("QUORUM_LOCK_KEY", grant.key());
        env.put("QUORUM_SESSION", Long.toString(grant.session()));
        Process process;
        try {
            process = builder.start();
            child = process;
        } catch (IOException e) {
            System.err.println("quorum: cannot run " + command.get(0) + ": " + e.getMessage());
            return CANNOT_RUN;
        }
        CompletableFuture<Object> first = CompletableFuture.anyOf(process.onExit(), keeper.lost());
        try {
            first.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            terminate(process);
            throw e;
        }
        if (!process.isAlive()) {
            return process.exitValue();
        }
        String reason = keeper.lost().getNow("lost");
        fail("SESSION_LOST", reason + "; terminating " + command.get(0) + " (the lock on " + key + " is no longer held)");
        terminate(process);
        return API_ERROR;
    }

    private static void terminate(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(TERMINATE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Releases the lock and closes the session; a failure only warns: the session frees the lock at its ttl. */
    private void release(QuorumClient client, SessionKeeper keeper) {
        QuorumException problem = null;
        try {
            if (!keeper.lost().isDone()) {
                client.release(key, keeper.session().id());
            }
        } catch (QuorumException e) {
            problem = e;
        }
        try {
            keeper.close();
        } catch (QuorumException e) {
            problem = e;
        }
        if (problem != null) {
            System.err.println("quorum: warning: could not release " + key + " or close session " + keeper.session().id()
                    + " (" + problem.code() + ": " + problem.getMessage() + "); the lock is freed when the session "
                    + "expires, within " + DurationText.format(ttl));
        }
    }
}
