package io.quorum.server;

/** A {@code host:port} address of a flag such as {@code --http-addr 127.0.0.1:7001}. */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("address has no host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code host:port}; port 0 asks the system for a free one (tests).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HostPort parse(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address must be host:port: '" + address + "'");
        }
        try {
            return new HostPort(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address has no numeric port: '" + address + "'");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
