package io.quorum.raft.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * Which TLS implementation Vert.x servers and clients use: BoringSSL through netty-tcnative where
 * its native library loads (Linux on x86-64 and ARM64, bundled in the jar), otherwise the JDK's.
 * Both speak the same TLS versions and ciphers to the same certificates; BoringSSL costs a
 * fraction of the CPU per record, which is what a lock service's small requests are made of.
 */
public final class TlsEngine {

    private TlsEngine() {
    }

    /** The engine for a server or client created now. */
    public static SSLEngineOptions preferred() {
        return OpenSsl.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
    }

    /** For the log: which engine {@link #preferred()} picks, and why not BoringSSL when it does not. */
    public static String describe() {
        if (OpenSsl.isAvailable()) {
            return "BoringSSL " + OpenSsl.versionString();
        }
        Throwable cause = OpenSsl.unavailabilityCause();
        return "the JDK's TLS (BoringSSL unavailable: " + (cause == null ? "unknown" : cause.getMessage()) + ")";
    }
}
