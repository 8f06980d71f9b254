/**
 * The Java client of Quorum's HTTP API (API.md), shared by the command line, the benchmarks and
 * the tests: {@link io.quorum.client.QuorumClient} with blocking methods and
 * {@code CompletableFuture} variants, small immutable records for answers, one
 * {@link io.quorum.client.QuorumException} for every failure, and
 * {@link io.quorum.client.SessionKeeper}, which keeps a session alive in the background.
 *
 * <p>Failover follows API.md's error table: a request that is known not to have taken effect
 * (connection refused, 503, 429) is tried on the next endpoint after a bounded backoff; a write
 * whose outcome is unknown (504, a timeout, a connection lost after sending) is never retried
 * silently but surfaced to the caller, because it may still commit. Reads change nothing and are
 * retried after an unknown outcome too.
 */
package io.quorum.client;
