package io.quorum.raft.transport;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void delaysDoubleFromTheMinimumToTheMaximumWithinTheUpperHalfOfEachCeiling() {
        Backoff backoff = new Backoff(50, 2000, new SplittableRandom(1));
        long[] ceilings = {50, 100, 200, 400, 800, 1600, 2000, 2000, 2000};
        for (int round = 0; round < 100; round++) {
            for (long ceiling : ceilings) {
                assertThat(backoff.nextDelayMillis()).isBetween(ceiling / 2, ceiling);
            }
            backoff.reset();
        }
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        Backoff a = new Backoff(50, 2000, new SplittableRandom(42));
        Backoff b = new Backoff(50, 2000, new SplittableRandom(42));
        for (int i = 0; i < 20; i++) {
            assertThat(a.nextDelayMillis()).isEqualTo(b.nextDelayMillis());
        }
    }

    @Test
    void manyFailuresNeverOverflowTheCeiling() {
        Backoff backoff = new Backoff(1, Long.MAX_VALUE / 2, new SplittableRandom(3));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.nextDelayMillis()).isPositive();
        }
    }

    @Test
    void boundsAreValidated() {
        assertThatThrownBy(() -> new Backoff(0, 10, new SplittableRandom())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(10, 5, new SplittableRandom())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void peerAddressesParse() {
        assertThat(TcpTransport.HostPort.parse("10.0.0.1:7000")).isEqualTo(new TcpTransport.HostPort("10.0.0.1", 7000));
        assertThat(TcpTransport.HostPort.parse("[::1]:7000")).isEqualTo(new TcpTransport.HostPort("::1", 7000));
        assertThat(TcpTransport.HostPort.parse("node-1.quorum:1")).isEqualTo(new TcpTransport.HostPort("node-1.quorum", 1));
        for (String bad : new String[] {"", "host", ":7000", "host:", "host:x", "host:0", "host:65536", "[]:5"}) {
            assertThatThrownBy(() -> TcpTransport.HostPort.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> TcpTransport.HostPort.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
