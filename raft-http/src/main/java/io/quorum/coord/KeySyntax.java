package io.quorum.coord;

import java.nio.charset.StandardCharsets;

/**
 * The key syntax of API.md, shared by keys and lock keys: segments separated by {@code /}, each
 * 1–255 characters of {@code [A-Za-z0-9._~-]} and neither {@code .} nor {@code ..}; at most 1024
 * bytes in all.
 */
public final class KeySyntax {

    public static final int MAX_KEY_BYTES = 1024;
    public static final int MAX_SEGMENT_CHARS = 255;

    private KeySyntax() {}

    /** Null when {@code key} is valid, else why not, for an INVALID_ARGUMENT message. */
    public static String problem(String key) {
        if (key.isEmpty()) {
            return "key is empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "key is longer than " + MAX_KEY_BYTES + " bytes";
        }
        int segmentStart = 0;
        for (int i = 0; i <= key.length(); i++) {
            if (i == key.length() || key.charAt(i) == '/') {
                String segmentProblem = segmentProblem(key, segmentStart, i);
                if (segmentProblem != null) {
                    return segmentProblem + " in key '" + key + "'";
                }
                segmentStart = i + 1;
            } else if (!allowed(key.charAt(i))) {
                return "character '" + key.charAt(i) + "' is not allowed in key '" + key + "'";
            }
        }
        return null;
    }

    public static boolean isValid(String key) {
        return problem(key) == null;
    }

    private static String segmentProblem(String key, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return "empty segment";
        }
        if (length > MAX_SEGMENT_CHARS) {
            return "segment longer than " + MAX_SEGMENT_CHARS + " characters";
        }
        if (key.startsWith(".", start) && (length == 1 || (length == 2 && key.charAt(start + 1) == '.'))) {
            return "segment '.' or '..'";
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '~' || c == '-';
    }
}
