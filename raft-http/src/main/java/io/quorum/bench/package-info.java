/**
 * {@code quorum bench}: a closed-loop load generator that measures Quorum, etcd and ZooKeeper with
 * the same workloads. {@link io.quorum.bench.BenchCommand} parses the command line into
 * {@link io.quorum.bench.BenchOptions}; a {@link io.quorum.bench.Target} speaks one system's own
 * API asynchronously; {@link io.quorum.bench.Operations} turns a {@link io.quorum.bench.Workload}
 * into one operation per client; {@link io.quorum.bench.Driver} keeps {@code --clients}
 * operations outstanding, excludes the warmup, records latency in HdrHistogram and counts errors
 * by kind; {@link io.quorum.bench.Report} prints the table or JSON, and
 * {@link io.quorum.bench.CompareTable} joins the JSON lines of several runs into the comparison
 * table of {@code deploy/bench/compare.sh}. {@link io.quorum.bench.EtcdTarget} speaks etcd's gRPC API
 * through messages and stubs that the build generates from {@code src/main/proto} (a subset of
 * etcd's protos) into {@code io.quorum.bench.etcd.v3}. The Quorum and etcd targets speak TLS to
 * {@code https://} endpoints with the files of {@code --cacert --cert --key}, read by raft-core's
 * {@link io.quorum.raft.tls.TlsMaterial} as the servers and the CLI read theirs; ZooKeeper is plaintext.
 *
 * <p>The driver is closed-loop: a client issues its next operation when the previous one answers,
 * so a stall delays the operations that would have been issued during it instead of recording
 * them as slow (coordinated omission). Latencies are therefore service times at the offered
 * concurrency, not response times at a fixed arrival rate; throughput and the tail under a fixed
 * number of clients are what the comparison reads.
 */
package io.quorum.bench;
