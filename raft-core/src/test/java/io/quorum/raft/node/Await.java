package io.quorum.raft.node;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: on a condition or a future, always with a deadline, never a fixed sleep. */
final class Await {

    private Await() {
    }

    static <T> T result(CompletionStage<T> future, Duration deadline) {
        try {
            return future.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("future did not complete: " + e, e);
        }
    }

    /** Polls {@code condition} every millisecond until it holds; fails with {@code what} at the deadline. */
    static void until(Duration deadline, BooleanSupplier condition, Supplier<String> what) {
        if (!within(deadline, condition)) {
            throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what.get());
        }
    }

    /** Whether {@code condition} came to hold before the deadline. */
    static boolean within(Duration deadline, BooleanSupplier condition) {
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
