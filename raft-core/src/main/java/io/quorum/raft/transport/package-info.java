/**
 * How nodes reach each other: {@link io.quorum.raft.transport.PeerMessage} (the protocol's messages,
 * and the forwarding of proposals and administrators' requests to the leader), its hand-written wire format {@link io.quorum.raft.transport.PeerCodec},
 * the small {@link io.quorum.raft.transport.Transport} contract (send never blocks and never throws),
 * and {@link io.quorum.raft.transport.TcpTransport}, its implementation over Vert.x sockets with one
 * bounded queue and one lazily opened connection per peer. The in-memory {@code LocalTransport},
 * with its {@code Firewall}, sits beside it in the tests.
 *
 * <p>The protocol never sees this package: the node shell sends what {@code Ready} carries and
 * steps what the transport's handler receives.
 */
package io.quorum.raft.transport;
