package io.quorum.http;

import io.quorum.coord.Command;
import io.quorum.coord.Fence;
import io.quorum.coord.KeySyntax;
import io.quorum.server.Consistency;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The validation step: reads one part of a request (path, query, header), checks it against
 * API.md and returns it typed, or throws a 400 {@link ApiException} that names the problem.
 * Every handler calls these before it proposes or reads anything.
 */
final class RequestParams {

    static final int MAX_LIST_LIMIT = 1000;

    private RequestParams() {}

    /**
     * The key after {@code prefix} in the request's raw path. The raw path, not the router's
     * normalized one, so that {@code a/../b} is refused rather than silently read as {@code b};
     * percent-escapes stay escaped, and {@code %} is not a key character.
     */
    static String key(RoutingContext ctx, String prefix) {
        String key = rawRemainder(ctx, prefix);
        String problem = KeySyntax.problem(key);
        if (problem != null) {
            throw ApiException.invalid(problem);
        }
        return key;
    }

    /** A listing prefix: a key, a key's beginning, or empty for everything. */
    static String listPrefix(RoutingContext ctx, String prefix) {
        return keyFragment(rawRemainder(ctx, prefix), "prefix");
    }

    private static String rawRemainder(RoutingContext ctx, String prefix) {
        String path = ctx.request().path();
        if (path == null || !path.startsWith(prefix)) {
            throw ApiException.invalid("the path must start with " + prefix + " and contain no '.' or '..' segments");
        }
        return path.substring(prefix.length());
    }

    private static String keyFragment(String text, String name) {
        if (text.getBytes(StandardCharsets.UTF_8).length > KeySyntax.MAX_KEY_BYTES) {
            throw ApiException.invalid(name + " is longer than " + KeySyntax.MAX_KEY_BYTES + " bytes");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-' || c == '/';
            if (!allowed) {
                throw ApiException.invalid("character '" + c + "' is not allowed in " + name + " '" + text + "'");
            }
        }
        return text;
    }

    /**
     * The version precondition of a write: {@code If-Match: <version>} (quoted as in an ETag or
     * not), {@code If-None-Match: *}, or none ({@link Command#ANY_VERSION}).
     */
    static long expectedVersion(RoutingContext ctx) {
        String ifMatch = ctx.request().getHeader("If-Match");
        String ifNoneMatch = ctx.request().getHeader("If-None-Match");
        if (ifMatch != null && ifNoneMatch != null) {
            throw ApiException.invalid("give If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw ApiException.invalid("If-None-Match supports only '*' (create only): '" + ifNoneMatch + "'");
            }
            return Command.ABSENT;
        }
        if (ifMatch == null) {
            return Command.ANY_VERSION;
        }
        String digits = ifMatch.trim();
        if (digits.length() >= 2 && digits.startsWith("\"") && digits.endsWith("\"")) {
            digits = digits.substring(1, digits.length() - 1);
        }
        long version = positiveLong(digits);
        if (version < 1) {
            throw ApiException.invalid("If-Match must be a version, a positive integer: '" + ifMatch + "'");
        }
        return version;
    }

    /** The {@code X-Quorum-Fence: <lock-key>;<token>} header, or null. */
    static Fence fence(RoutingContext ctx) {
        String header = ctx.request().getHeader("X-Quorum-Fence");
        if (header == null) {
            return null;
        }
        try {
            return Fence.parse(header);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    /** A session id (a Raft index): a positive integer. */
    static long sessionId(String text) {
        return positiveId(text, "a session id");
    }

    /** A Raft index such as a session id or a fencing token: a positive integer. */
    static long positiveId(String text, String what) {
        long id = text == null ? -1 : positiveLong(text.trim());
        if (id < 1) {
            throw ApiException.invalid(what + " is a positive integer: '" + text + "'");
        }
        return id;
    }

    /** A Raft index a client names, such as a watch's {@code ?index=}: 0 or a positive integer. */
    static long nonNegativeIndex(String text, String name) {
        long index = positiveLong(text.trim());
        if (index < 0) {
            throw ApiException.invalid(name + " is a Raft index, an integer from 0: '" + text + "'");
        }
        return index;
    }

    /** {@code ?consistency=}: absent or {@code linearizable}, or {@code stale}. */
    static Consistency consistency(RoutingContext ctx) {
        String mode = single(ctx, "consistency");
        if (mode == null || mode.equals("linearizable")) {
            return Consistency.LINEARIZABLE;
        }
        if (mode.equals("stale")) {
            return Consistency.STALE;
        }
        throw ApiException.invalid("unknown consistency '" + mode + "': use linearizable (the default) or stale");
    }

    /** {@code ?limit=} of a listing: 1 to {@value #MAX_LIST_LIMIT}, that by default. */
    static int limit(RoutingContext ctx) {
        String text = single(ctx, "limit");
        if (text == null) {
            return MAX_LIST_LIMIT;
        }
        long limit = positiveLong(text);
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw ApiException.invalid("limit must be 1 to " + MAX_LIST_LIMIT + ": '" + text + "'");
        }
        return (int) limit;
    }

    /** {@code ?delimiter=}: absent, or {@code /} for one level. */
    static boolean slashDelimiter(RoutingContext ctx) {
        String delimiter = single(ctx, "delimiter");
        if (delimiter == null) {
            return false;
        }
        if (!delimiter.equals("/")) {
            throw ApiException.invalid("delimiter must be '/': '" + delimiter + "'");
        }
        return true;
    }

    /** {@code ?after=}: the last key of the previous page, or null. */
    static String after(RoutingContext ctx) {
        String after = single(ctx, "after");
        return after == null || after.isEmpty() ? null : keyFragment(after, "after");
    }

    /** {@code ?ephemeral=true&session=<id>}: the owning session, or {@link Command#NO_SESSION}. */
    static long ephemeralSession(RoutingContext ctx) {
        String ephemeral = single(ctx, "ephemeral");
        String session = single(ctx, "session");
        if (ephemeral == null && session == null) {
            return Command.NO_SESSION;
        }
        if (!"true".equals(ephemeral) || session == null) {
            throw ApiException.invalid("an ephemeral key needs both ephemeral=true and session=<id>");
        }
        return sessionId(session);
    }

    /** Whether the client asked for JSON ({@code Accept: application/json}). */
    static boolean wantsJson(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("application/json");
    }

    /** A query parameter given at most once; null when absent. */
    static String single(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw ApiException.invalid("query parameter " + name + " is given " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** The value of a string of 1–18 ASCII digits, or -1. */
    private static long positiveLong(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }
}
