package io.quorum.raft.transport;

import java.util.Set;

/**
 * The far end of one inbound connection, as far as this node can tell: its address (for the log)
 * and, on a TLS connection, the names its certificate carries (subject CN and DNS SANs), one of
 * which must be the member id each frame on that connection claims to come from.
 *
 * @param address         the remote {@code host:port}, for logs only: it proves nothing
 * @param certifiedNames  the names the peer's verified certificate carries, or null on a plaintext
 *                        connection, where nothing ties a frame to its sender
 */
record ConnectionOrigin(String address, Set<String> certifiedNames) {

    ConnectionOrigin {
        certifiedNames = certifiedNames == null ? null : Set.copyOf(certifiedNames);
    }

    static ConnectionOrigin plaintext(String address) {
        return new ConnectionOrigin(address, null);
    }

    /** Whether a frame on this connection may claim to come from {@code memberId}. */
    boolean maySpeakFor(String memberId) {
        return certifiedNames == null || certifiedNames.contains(memberId);
    }

    /** The remote host without its port: the key under which rejections are logged, as a peer reconnects from new ports. */
    String host() {
        int colon = address.lastIndexOf(':');
        return colon <= 0 ? address : address.substring(0, colon);
    }
}
