package io.quorum.bench;

import java.util.concurrent.CompletableFuture;

/** What one client does once per iteration of the closed loop; it must not block. */
@FunctionalInterface
public interface Operation {
    CompletableFuture<Void> run(int client);
}
