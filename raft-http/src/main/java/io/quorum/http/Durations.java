package io.quorum.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API.md's durations: strings such as {@code 500ms}, {@code 10s}, {@code 2m} (and {@code 1h}), or
 * integers in milliseconds. Anything else, and anything past a day, is 400: no limit of the API
 * is longer, and a bound keeps the arithmetic far from overflow.
 */
final class Durations {

    static final long MAX_MILLIS = 86_400_000L;
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)?");

    private Durations() {}

    /** Parses the JSON value of field {@code name}; {@code fallback} when it is absent or null. */
    static long millis(JsonNode value, String name, long fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong() || value.asLong() < 0 || value.asLong() > MAX_MILLIS) {
                throw ApiException.invalid(name + " must be 0 to " + MAX_MILLIS + " ms: " + value);
            }
            return value.asLong();
        }
        if (value.isTextual()) {
            return millis(value.asText(), name);
        }
        throw ApiException.invalid(name + " must be a duration such as \"10s\" or an integer of milliseconds, not "
                + value.getNodeType().name().toLowerCase());
    }

    static long millis(String text, String name) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw ApiException.invalid(name + " must be a duration such as 500ms, 10s, 2m or an integer of milliseconds: '"
                    + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 1L;
        };
        if (amount > MAX_MILLIS / unit) {
            throw ApiException.invalid(name + " is longer than a day: '" + text + "'");
        }
        return amount * unit;
    }

    /** The shortest exact form: {@code 15s}, {@code 2m}, {@code 1500ms}. */
    static String format(long millis) {
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
