/**
 * End-to-end tests on real processes (TESTING.md, "Real processes under faults"): every test
 * starts nodes with {@code java -jar raft-http/target/quorum.jar server …}, drives them over HTTP
 * only and injects faults a process can suffer: SIGKILL, SIGTERM, SIGSTOP and SIGCONT, and, on a
 * cluster started {@code proxied}, faults of the peer links ({@link io.quorum.it.nemesis}).
 *
 * <p>{@link io.quorum.it.ProcessCluster} owns the processes (free loopback ports, data dirs and
 * logs under {@code target/it/}); {@link io.quorum.it.ProcessClusterExtension} gives a test class
 * one cluster, prints the nodes' logs when a test fails and always ends every process;
 * {@link io.quorum.it.Http} is the requests' client; {@link io.quorum.it.PrometheusServer} runs a
 * real Prometheus that scrapes such a cluster with deploy/'s config.
 *
 * <p>The fault scenarios of TESTING.md ({@code FaultScenariosIT}, {@code FiveNodeFaultsIT}) run a
 * {@link io.quorum.it.FaultRun}: register, lock and session clients over the Java client and a
 * watcher record a {@link io.quorum.it.history.History} while a nemesis injects faults; the
 * checkers of {@link io.quorum.it.history} judge it. The tests are named {@code *IT} and run
 * under maven-failsafe-plugin in {@code mvn verify}, after the jar is packaged.
 */
package io.quorum.it;
