package io.quorum.server;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser origins of {@code --allowed-origins} whose pages may use the API: none (the default),
 * a list such as {@code https://console.example.com,http://localhost:8080}, or {@code *} for any.
 *
 * <p>Origins are compared in the form a browser serializes them in its {@code Origin} header:
 * scheme and host in lower case, the scheme's default port (80 for http, 443 for https) left out.
 * The flag's values and the header are both brought to that form, so {@code HTTPS://Console.example.com:443}
 * on the command line allows {@code https://console.example.com}.
 *
 * @param any     {@code *}: every origin
 * @param origins the allowed origins in their serialized form; empty when {@code any}
 */
public record AllowedOrigins(boolean any, Set<String> origins) {

    /** No browser page may use the API: a request with an {@code Origin} header is refused. */
    public static final AllowedOrigins NONE = new AllowedOrigins(false, Set.of());

    private static final String FLAG = "--allowed-origins";

    /** scheme://host[:port]; host a name, an IPv4 address or a bracketed IPv6 address. No path, not even "/". */
    private static final Pattern ORIGIN = Pattern.compile(
            "([a-z][a-z0-9+.-]*)://(\\[[0-9a-f:.]+\\]|[a-z0-9_-]+(?:\\.[a-z0-9_-]+)*)(?::([0-9]{1,5}))?");

    public AllowedOrigins {
        origins = Collections.unmodifiableSet(new LinkedHashSet<>(origins));
        if (any && !origins.isEmpty()) {
            throw new IllegalArgumentException(FLAG + ": '*' allows every origin and cannot be combined with others");
        }
    }

    /**
     * Parses the flag's comma-separated value; null or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the flag and the element that is not an origin
     */
    public static AllowedOrigins parse(String flagValue) {
        if (flagValue == null || flagValue.isBlank()) {
            return NONE;
        }
        Set<String> origins = new LinkedHashSet<>();
        boolean any = false;
        for (String element : flagValue.split(",", -1)) {
            String trimmed = element.strip();
            if (trimmed.equals("*")) {
                any = true;
                continue;
            }
            String origin = serialized(trimmed);
            if (origin == null) {
                throw new IllegalArgumentException(FLAG + ": '" + trimmed + "' is not an origin: expected scheme://host[:port] "
                        + "(such as https://console.example.com or http://localhost:8080, no path) or *");
            }
            origins.add(origin);
        }
        return new AllowedOrigins(any, origins);
    }

    /** Whether a page of {@code origin} (an {@code Origin} header's value) may use the API. */
    public boolean allows(String origin) {
        if (origin == null || origin.isBlank()) {
            return false;
        }
        if (any) {
            return true;
        }
        String serialized = serialized(origin.strip());
        return serialized != null && origins.contains(serialized);
    }

    /** The browser's serialization of {@code origin}, or null when it is not scheme://host[:port]. */
    static String serialized(String origin) {
        Matcher m = ORIGIN.matcher(origin.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        String scheme = m.group(1);
        String host = m.group(2);
        String port = m.group(3);
        if (port == null) {
            return scheme + "://" + host;
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            return null;
        }
        boolean defaultPort = scheme.equals("http") && number == 80 || scheme.equals("https") && number == 443;
        return defaultPort ? scheme + "://" + host : scheme + "://" + host + ":" + number;
    }

    @Override
    public String toString() {
        return any ? "*" : String.join(",", origins);
    }
}
