package io.quorum.raft.transport;

import io.quorum.raft.testing.Await;
import io.quorum.raft.transport.PeerMessage.ForwardProposal;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A measurement, not a test: messages per second one transport delivers to another over loopback.
 * Run with {@code mvn -pl raft-core verify -Dtest=TcpTransportThroughputTest -Dtransport.bench=true}.
 * The sender offers as fast as the peer's queue has room (a full queue is waited on, never dropped
 * into), so the figure is what the link sustains end to end, encoding and decoding included.
 */
@EnabledIfSystemProperty(named = "transport.bench", matches = "true")
class TcpTransportThroughputTest {

    @Test
    void loopbackThroughput() {
        report("heartbeats (40-byte frames)", 1_000_000, i -> LocalTransportTest.heartbeat("a", "b", i));
        byte[] command = new byte[1024];
        report("1 KiB forwards (1,052-byte frames)", 300_000, i -> new ForwardProposal("a", "b", i, command));
    }

    private static void report(String what, int count, LongFunction<PeerMessage> message) {
        Vertx vertx = Vertx.vertx();
        try {
            AtomicLong received = new AtomicLong();
            TransportConfig base = TransportConfig.defaults("b", "127.0.0.1", 0);
            TcpTransport b = new TcpTransport(vertx, base, m -> received.incrementAndGet(), new SplittableRandom(1));
            Await.result(b.start());
            TcpTransport a = new TcpTransport(vertx, TransportConfig.defaults("a", "127.0.0.1", 0),
                    m -> { }, new SplittableRandom(2));
            Await.result(a.start());
            a.setPeers(Map.of("b", "127.0.0.1:" + b.port()));
            int warmup = count / 10;
            long start = 0;
            for (long i = 0; i < count + warmup; i++) {
                if (i == warmup) {
                    Await.until(Duration.ofSeconds(30), () -> received.get() == warmup, () -> "warm-up");
                    start = System.nanoTime();
                }
                // A stats snapshot sums every counter: look at the queue only now and then.
                while (i % 256 == 0 && a.stats().queued() >= 3000) {
                    Thread.onSpinWait();
                }
                a.send(message.apply(i));
            }
            Await.until(Duration.ofSeconds(60), () -> received.get() == count + warmup,
                    () -> "received " + received.get() + "; " + a.stats());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("THROUGHPUT %s: %d messages in %.2f s = %.0f messages/s; dropped %d%n",
                    what, count, seconds, count / seconds, a.stats().dropped());
            Await.result(a.close());
            Await.result(b.close());
        } finally {
            Await.result(vertx.close());
        }
    }
}
