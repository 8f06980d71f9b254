package io.quorum.raft.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The live counters behind {@link TransportStats}; updated from any thread. */
final class TransportCounters {

    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedUnknownPeer = new LongAdder();
    final LongAdder droppedOther = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder handshakeFailures = new LongAdder();
    private final Map<FrameRejection, LongAdder> rejected = new EnumMap<>(FrameRejection.class);

    TransportCounters() {
        for (FrameRejection reason : FrameRejection.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    LongAdder rejected(FrameRejection reason) {
        return rejected.get(reason);
    }

    TransportStats snapshot(LongSupplier queued) {
        Map<FrameRejection, Long> rejectedNow = new EnumMap<>(FrameRejection.class);
        rejected.forEach((reason, count) -> rejectedNow.put(reason, count.sum()));
        return new TransportStats(sent.sum(), received.sum(), droppedQueueFull.sum(), droppedUnknownPeer.sum(),
                droppedOther.sum(), connectFailures.sum(), handshakeFailures.sum(), rejectedNow, queued.getAsLong());
    }
}
