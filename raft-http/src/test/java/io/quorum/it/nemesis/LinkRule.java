package io.quorum.it.nemesis;

import java.time.Duration;

/**
 * What a {@link FaultProxy} does with the frames of one directed peer link (source → destination).
 * Rules act on whole frames, so a link that passes again after a fault carries a clean stream.
 *
 * @param kind  the fault
 * @param delay how long each frame is held before it is forwarded; only for {@link Kind#DELAY}
 */
public record LinkRule(Kind kind, Duration delay) {

    /** The faults a link can suffer. */
    public enum Kind {
        /** Frames go through. */
        PASS,
        /** The connection stays open and its frames are read and dropped: a silent partition. */
        BLACKHOLE,
        /** Connections are reset (RST) as soon as their source is known: a loud partition. */
        RESET,
        /** Frames go through in order, each after {@link #delay}. */
        DELAY
    }

    public static final LinkRule PASS = new LinkRule(Kind.PASS, Duration.ZERO);
    public static final LinkRule BLACKHOLE = new LinkRule(Kind.BLACKHOLE, Duration.ZERO);
    public static final LinkRule RESET = new LinkRule(Kind.RESET, Duration.ZERO);

    public LinkRule {
        if (kind == Kind.DELAY && (delay.isNegative() || delay.isZero())) {
            throw new IllegalArgumentException("a delay rule needs a positive delay: " + delay);
        }
    }

    public static LinkRule delay(Duration delay) {
        return new LinkRule(Kind.DELAY, delay);
    }

    /** Whether frames under this rule are lost (blackhole or reset). */
    public boolean cuts() {
        return kind == Kind.BLACKHOLE || kind == Kind.RESET;
    }

    @Override
    public String toString() {
        return kind == Kind.DELAY ? "delay " + delay.toMillis() + "ms" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
