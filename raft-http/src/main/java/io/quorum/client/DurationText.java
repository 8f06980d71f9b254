package io.quorum.client;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** API.md's durations: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a number of milliseconds. */
public final class DurationText {

    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)?");

    private DurationText() {}

    /** @throws IllegalArgumentException when {@code text} is not a duration of that form */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (500ms, 10s, 2m, 1h): " + text);
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The shortest exact form: {@code 15s}, {@code 1500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis != 0 && millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
