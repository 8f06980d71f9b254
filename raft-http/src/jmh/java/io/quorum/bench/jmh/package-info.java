/**
 * JMH microbenchmarks of the hot paths behind a write: the peer codec that carries AppendEntries,
 * the log's batch append (in memory, and on disk with its fsync), and the coordination state
 * machine's apply. Built and run only by the {@code bench} Maven profile:
 * {@code mvn -B -Pbench -pl raft-http -am verify -DskipTests [-Djmh.args="…"]}.
 */
package io.quorum.bench.jmh;
