package io.quorum.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One API request, independent of the endpoint it goes to.
 *
 * @param pathAndQuery already encoded
 * @param headers name, value pairs
 * @param body null for none
 * @param read true when the request changes nothing, so repeating it after an unknown outcome is safe
 * @param extraWait how long the server may hold the request on purpose (a long poll, a lock wait),
 *     added to the request timeout
 * @param streaming true when a 200 answer's body is to be read as a stream
 */
record Request(String method, String pathAndQuery, List<String> headers, byte[] body, boolean read, Duration extraWait,
               boolean streaming) {

    static Request read(String pathAndQuery, String... headers) {
        return new Request("GET", pathAndQuery, List.of(headers), null, true, Duration.ZERO, false);
    }

    static Request write(String method, String pathAndQuery, byte[] body, String... headers) {
        return new Request(method, pathAndQuery, List.of(headers), body, false, Duration.ZERO, false);
    }

    static Request json(String method, String pathAndQuery, String json) {
        return write(method, pathAndQuery, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
    }

    Request waiting(Duration wait) {
        return new Request(method, pathAndQuery, headers, body, read, wait, streaming);
    }

    Request streamed() {
        return new Request(method, pathAndQuery, headers, body, read, extraWait, true);
    }

    Request withHeaders(List<String> more) {
        List<String> all = new ArrayList<>(headers);
        all.addAll(more);
        return new Request(method, pathAndQuery, all, body, read, extraWait, streaming);
    }

    HttpRequest toHttp(URI base, Duration requestTimeout) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + pathAndQuery))
                .timeout(requestTimeout.plus(extraWait))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        return b.build();
    }

    /**
     * A key or prefix as a path: {@code /} separates segments and every byte outside API.md's key
     * alphabet is percent-encoded, so a bad key reaches the server, which answers 400.
     */
    static String encodePath(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '~' || c == '-' || c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** A query parameter's value. */
    static String encodeParam(String value) {
        return encodePath(value).replace("/", "%2F");
    }
}
