package io.quorum.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which host names stand for this machine's loopback interface, decided from the text alone: no
 * name is ever resolved, so the answer cannot block an event loop, and a name whose DNS answer an
 * attacker controls never counts.
 *
 * <p>Loopback are: an IPv4 address of 127.0.0.0/8, the IPv6 address ::1 in any spelling (with or
 * without brackets, IPv4-mapped {@code ::ffff:127.x.y.z} too), {@code localhost}, and names under
 * {@code .localhost} such as {@code console.localhost}. RFC 6761 §6.3 reserves the whole
 * {@code .localhost} domain for loopback: browsers (Chrome, Firefox) resolve those names to loopback
 * without asking DNS, and no public DNS server may answer them otherwise, so a rebinding attacker
 * cannot obtain one. One trailing dot (the fully qualified {@code localhost.}) is accepted.
 */
final class LoopbackNames {

    private static final String LOCALHOST = "localhost";

    private LoopbackNames() {}

    /** Whether {@code host} (without port; an IPv6 address with or without brackets) names loopback. */
    static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals(LOCALHOST) || name.endsWith("." + LOCALHOST) && !name.startsWith(".")) {
            return true;
        }
        // Parses literals only; null for anything else, so nothing is looked up.
        byte[] address = NetUtil.createByteArrayFromIpAddressString(name);
        if (address == null) {
            return false;
        }
        try {
            return InetAddress.getByAddress(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
