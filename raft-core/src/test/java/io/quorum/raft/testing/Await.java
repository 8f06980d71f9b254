package io.quorum.raft.testing;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: on a condition or a future, always with a deadline, never a fixed sleep. */
public final class Await {

    private Await() {
    }

    public static <T> T result(CompletionStage<T> future, Duration deadline) {
        try {
            return future.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("future did not complete: " + e, e);
        }
    }

    /** The result of a Vert.x future, waiting at most 10 s. */
    public static <T> T result(Future<T> future) {
        return result(future.toCompletionStage(), Duration.ofSeconds(10));
    }

    /** Polls {@code condition} every millisecond until it holds; fails with {@code what} at the deadline. */
    public static void until(Duration deadline, BooleanSupplier condition, Supplier<String> what) {
        if (!within(deadline, condition)) {
            throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what.get());
        }
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} at the deadline. */
    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        until(deadline, condition, () -> what);
    }

    /** Whether {@code condition} came to hold before the deadline. */
    public static boolean within(Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return true;
    }
}
