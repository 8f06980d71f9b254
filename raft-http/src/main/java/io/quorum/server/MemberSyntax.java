package io.quorum.server;

/**
 * What a member id and a member's raft address may look like, for {@code --id}, {@code --members}
 * and the cluster-administration requests alike. An id names a data directory ({@code data/<id>})
 * and appears in headers and logs, so it is kept to a short, path-safe alphabet.
 */
public final class MemberSyntax {

    /** The longest id accepted. */
    public static final int MAX_ID_LENGTH = 64;

    private MemberSyntax() {}

    /**
     * Why {@code id} is not a valid member id, or null when it is: 1–{@value #MAX_ID_LENGTH}
     * characters of {@code [A-Za-z0-9_-]} and {@code .}, starting with a letter or digit.
     */
    public static String idProblem(String id) {
        if (id == null || id.isEmpty()) {
            return "a member id must not be empty";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "a member id has at most " + MAX_ID_LENGTH + " characters: '" + id.substring(0, 16) + "…'";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.'))) {
                return "a member id is letters, digits, '-', '_' and '.', starting with a letter or digit: '" + id + "'";
            }
        }
        return null;
    }

    /**
     * A member's raft address: {@code host:port} with a port from 1 to 65535 (a peer cannot reach
     * port 0) and a host of letters, digits, '.', '-', or a bracketed IPv6 address.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HostPort raftAddress(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a raft address is required");
        }
        HostPort address = HostPort.parse(text);
        if (address.port() < 1) {
            throw new IllegalArgumentException("a raft address needs a port from 1 to 65535: '" + text + "'");
        }
        String host = address.host();
        boolean bracketed = host.length() > 2 && host.startsWith("[") && host.endsWith("]");
        String body = bracketed ? host.substring(1, host.length() - 1) : host;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '-' || (bracketed && c == ':');
            if (!allowed) {
                throw new IllegalArgumentException("character '" + c + "' is not allowed in the host of '" + text + "'");
            }
        }
        if (text.indexOf(':') != text.lastIndexOf(':') && !bracketed) {
            throw new IllegalArgumentException("an IPv6 host goes in brackets: '" + text + "'");
        }
        return address;
    }
}
