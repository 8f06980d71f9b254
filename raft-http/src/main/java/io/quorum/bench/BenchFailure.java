package io.quorum.bench;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** A failed operation with the kind it is counted under in the report ({@code http 429 OVERLOADED}, {@code timeout}, …). */
public final class BenchFailure extends RuntimeException {

    private final String kind;

    public BenchFailure(String kind, String message) {
        super(kind + ": " + message, null, false, false);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    /** The kind of any failure: a {@link BenchFailure}'s own, else one named after the exception. */
    public static String kindOf(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof BenchFailure b) {
            return b.kind();
        }
        if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
            return "timeout";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            // Netty wraps a refused certificate in a DecoderException: the TLS failure is the kind.
            if (cause instanceof SSLException) {
                return cause instanceof SSLHandshakeException ? "tls handshake" : "tls";
            }
        }
        return t.getClass().getSimpleName();
    }
}
