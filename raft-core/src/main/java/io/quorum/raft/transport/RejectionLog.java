package io.quorum.raft.transport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs dropped frames and closed connections at most once a minute per remote host. A stranger
 * that sends thousands of bad frames must not fill the disk with log lines; the metric counts
 * every one, the log says that it happens and from where.
 *
 * <p>The hosts remembered are bounded (least recently logged forgotten first), so a flood from
 * many addresses costs a fixed amount of memory and, at worst, one more line per forgotten host.
 * Thread-safe.
 */
final class RejectionLog {

    private static final Logger log = LoggerFactory.getLogger(RejectionLog.class);
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int MAX_HOSTS = 256;

    private final LongSupplier nanoClock;
    private final Map<String, Long> lastLogged = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_HOSTS;
        }
    };

    /** @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    RejectionLog(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Logs one rejection unless {@code origin}'s host was logged less than a minute ago.
     *
     * @return whether a line was written
     */
    boolean report(ConnectionOrigin origin, FrameRejection reason, String detail) {
        if (!due(origin.host())) {
            return false;
        }
        log.warn("Dropped a raft frame from {} ({}): {}; frames rejected are counted in "
                + "quorum_raft_frames_rejected_total, and logged at most once a minute per host",
                origin.address(), reason.label(), detail);
        return true;
    }

    /** Whether a line about {@code host} may be written now; if so, the next one waits a minute. */
    synchronized boolean due(String host) {
        long now = nanoClock.getAsLong();
        Long last = lastLogged.get(host);
        if (last != null && now - last < INTERVAL_NANOS) {
            return false;
        }
        lastLogged.put(host, now);
        return true;
    }
}
