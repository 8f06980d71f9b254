package io.quorum.raft.transport;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The live counters behind {@link TransportStats}; updated from any thread. */
final class TransportCounters {

    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedUnknownPeer = new LongAdder();
    final LongAdder droppedOther = new LongAdder();
    final LongAdder misaddressed = new LongAdder();
    final LongAdder malformedConnections = new LongAdder();
    final LongAdder connectFailures = new LongAdder();

    TransportStats snapshot(LongSupplier queued) {
        return new TransportStats(sent.sum(), received.sum(), droppedQueueFull.sum(), droppedUnknownPeer.sum(),
                droppedOther.sum(), misaddressed.sum(), malformedConnections.sum(), connectFailures.sum(),
                queued.getAsLong());
    }
}
