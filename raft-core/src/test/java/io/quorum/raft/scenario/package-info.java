/**
 * Scripted protocol scenarios (TESTING.md §1) in the etcd-io/raft datadriven style. Each file in
 * {@code src/test/resources/scenarios} is a list of commands, each followed by {@code ----}, the
 * expected output and a blank line. {@code -Dscenarios.rewrite=true} rewrites the expected output.
 *
 * <p>Commands: {@code add-nodes N [prevote=false] [checkquorum=false] [max-append-bytes=B]
 * [snapshot-chunk-bytes=B]} (the first call founds the cluster, later calls add empty nodes),
 * {@code campaign ID}, {@code propose ID DATA}, {@code propose-conf-change ID add-learner|promote|remove NODE},
 * {@code read-index ID REQ}, {@code transfer-leadership FROM TO}, {@code tick ID N},
 * {@code tick-heartbeat ID}, {@code tick-election ID} (until the role or term changes, at most two
 * election timeouts), {@code tick-all ROUNDS [ID...]} (tick and settle, printing role changes),
 * {@code process-ready [ID...] [crash=before-persist]}, {@code deliver-msgs [ID...] [from=ID,..]
 * [drop=ID,..]}, {@code stabilize [ID...]}, {@code partition A B | C}, {@code cut FROM TO},
 * {@code heal}, {@code crash ID}, {@code restart ID}, {@code compact ID}, {@code get ID KEY},
 * {@code status ID}, {@code log ID}, {@code raft-state}.
 */
package io.quorum.raft.scenario;
