/**
 * The deterministic simulation of TESTING.md §2: one JVM, one seeded scheduler ({@link
 * io.quorum.raft.sim.EventQueue}), simulated network ({@link io.quorum.raft.sim.SimNetwork},
 * {@link io.quorum.raft.sim.Topology}) and disks ({@link io.quorum.raft.storage.MemoryStorage} per
 * node, written by {@link io.quorum.raft.sim.NodeShell} in the order the Ready contract prescribes),
 * faults from {@link io.quorum.raft.sim.Nemesis} and {@link io.quorum.raft.sim.MembershipDriver},
 * the {@link io.quorum.raft.sim.InvariantChecker} after every step and a linearizability check of
 * the clients' history at the end.
 *
 * <p>Reuse: a state machine layer implements {@link io.quorum.raft.sim.SimStateMachine} and a
 * {@link io.quorum.raft.sim.SimWorkload}, and runs
 * {@code new Simulation(seed, MyStateMachine::new, (clock, random, options) -> new MyWorkload(...)).run()}.
 *
 * <p>System properties: {@code sim.seeds} (runs, default 500 from the pom), {@code sim.seed}
 * (replay one), {@code sim.trace=true} (print every delivered message and state change of a
 * replayed seed), {@code sim.clockDrift} (percent a node's clock rate may stray, default 5),
 * {@code sim.noMembership=true} (no membership changes, to tell their failures from others).
 */
package io.quorum.raft.sim;
