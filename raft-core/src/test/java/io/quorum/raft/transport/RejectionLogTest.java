package io.quorum.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionLogTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RejectionLog log = new RejectionLog(now::get);

    @Test
    void logsAHostAtMostOnceAMinuteWhicheverPortItUses() {
        ConnectionOrigin first = ConnectionOrigin.plaintext("/10.0.0.7:40001");
        ConnectionOrigin second = ConnectionOrigin.plaintext("/10.0.0.7:40002");
        assertThat(log.report(first, FrameRejection.NOT_A_MEMBER, "x")).isTrue();
        assertThat(log.report(second, FrameRejection.TERM_OVERFLOW, "y")).isFalse();
        assertThat(log.report(ConnectionOrigin.plaintext("/10.0.0.8:40001"), FrameRejection.NOT_A_MEMBER, "z")).isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(log.report(first, FrameRejection.NOT_A_MEMBER, "x")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(log.report(first, FrameRejection.NOT_A_MEMBER, "x")).isTrue();
    }

    @Test
    void remembersABoundedNumberOfHosts() {
        for (int i = 0; i < RejectionLog.MAX_HOSTS + 1; i++) {
            assertThat(log.report(ConnectionOrigin.plaintext("/10.0." + (i / 256) + "." + (i % 256) + ":1"),
                    FrameRejection.MALFORMED, "g")).isTrue();
        }
        // the first host was forgotten to make room, so it is logged again; the last one is not
        assertThat(log.report(ConnectionOrigin.plaintext("/10.0.0.0:2"), FrameRejection.MALFORMED, "g")).isTrue();
        int last = RejectionLog.MAX_HOSTS;
        assertThat(log.report(ConnectionOrigin.plaintext("/10.0." + (last / 256) + "." + (last % 256) + ":2"),
                FrameRejection.MALFORMED, "g")).isFalse();
    }
}
