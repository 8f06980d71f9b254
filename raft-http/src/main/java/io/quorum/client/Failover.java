package io.quorum.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends one request to the endpoints in turn until one answers it, starting with the endpoint
 * that answered last.
 *
 * <p>A request moves on to the next endpoint when it is known not to have taken effect: the
 * connection could not be opened or its TLS handshake failed, or the answer was 503 or 429. Untried endpoints are tried at
 * once; coming back to one already tried this call waits {@code Retry-After} (or a short growing
 * pause), never longer than {@link ClientOptions#maxBackoff()}. A request whose outcome is
 * unknown (504, a timeout, a connection lost after sending) is retried only when it is a read; a
 * write fails with {@link QuorumException#outcomeUnknown()} so that the caller decides. Any other
 * answer, error or not, is the call's answer.
 */
final class Failover {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

    private final HttpClient http;
    private final List<URI> endpoints;
    private final ClientOptions options;
    private final AtomicInteger preferred = new AtomicInteger();

    Failover(HttpClient http, List<URI> endpoints, ClientOptions options) {
        this.http = http;
        this.endpoints = List.copyOf(endpoints);
        this.options = options;
    }

    /** The endpoint the next call starts with: the one that answered last. */
    URI preferredEndpoint() {
        return endpoints.get(preferred.get());
    }

    /**
     * The answer to {@code request}. It completes exceptionally with a {@link QuorumException}
     * when no endpoint answered; an answer with an error status completes it normally.
     */
    CompletableFuture<Answer> send(Request request) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        attempt(request, 0, preferred.get(), answer);
        return answer;
    }

    private void attempt(Request request, int attempt, int endpoint, CompletableFuture<Answer> answer) {
        URI base = endpoints.get(endpoint);
        HttpRequest http;
        try {
            http = request.toHttp(base, options.requestTimeout());
        } catch (IllegalArgumentException e) {
            answer.completeExceptionally(new QuorumException(QuorumException.NO_ANSWER, "INVALID_ARGUMENT",
                    "not a valid request: " + e.getMessage(), null, true, e));
            return;
        }
        this.http.sendAsync(http, request.streaming() ? Answer.STREAMING : Answer.HANDLER).whenComplete((response, failure) -> {
            QuorumException refusal;
            boolean retry;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (neverConnected(cause)) {
                    refusal = QuorumException.unreachable(base.toString(), cause);
                    retry = true;
                } else if (handshakeFailed(cause)) {
                    refusal = QuorumException.tlsRefused(base.toString(), cause);
                    retry = true;
                } else if (cause instanceof IOException) {
                    refusal = QuorumException.outcomeUnknown(base.toString(), cause);
                    retry = request.read();
                } else {
                    answer.completeExceptionally(cause);
                    return;
                }
            } else {
                Answer a = response.body().withStatus(response);
                int status = response.statusCode();
                if (status == 503 || status == 429 || status == 504) {
                    refusal = a.error();
                    retry = status != 504 || request.read();
                } else {
                    preferred.set(endpoint);
                    answer.complete(a);
                    return;
                }
            }
            if (!retry || attempt + 1 >= options.maxAttempts()) {
                answer.completeExceptionally(refusal);
                return;
            }
            int next = (endpoint + 1) % endpoints.size();
            long pause = attempt + 1 < endpoints.size() ? 0 : pauseMillis(refusal, attempt);
            CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(request, attempt + 1, next, answer));
        });
    }

    /** Nothing was sent: the TLS handshake failed (a certificate not trusted, or none where one is required). */
    private static boolean handshakeFailed(Throwable cause) {
        return cause instanceof SSLHandshakeException || cause.getCause() instanceof SSLHandshakeException;
    }

    /** Nothing was sent: connecting failed (refused, unreachable, or timed out). */
    private static boolean neverConnected(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                || cause.getCause() instanceof ConnectException;
    }

    private long pauseMillis(QuorumException refusal, int attempt) {
        Duration wanted = refusal.retryAfter() != null
                ? refusal.retryAfter()
                : FIRST_PAUSE.multipliedBy(1L << Math.min(attempt / endpoints.size(), 6));
        return Math.min(wanted.toMillis(), options.maxBackoff().toMillis());
    }

    /** What answered: the status, the headers, and the body as bytes or, for a streamed 200, as a stream. */
    record Answer(int status, HttpResponse<?> response, byte[] bytes, InputStream stream) {

        /** Error answers are read whole; a 200 is a stream only when the request asked for one. */
        static final HttpResponse.BodyHandler<Answer> HANDLER = info -> HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofByteArray(), bytes -> new Answer(info.statusCode(), null, bytes, null));

        static final HttpResponse.BodyHandler<Answer> STREAMING = info -> info.statusCode() == 200
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                        in -> new Answer(200, null, null, in))
                : HANDLER.apply(info);

        Answer withStatus(HttpResponse<?> r) {
            return new Answer(r.statusCode(), r, bytes, stream);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** This answer as the exception of API.md's error body; the status decides whether it was applied. */
        QuorumException error() {
            return Json.error(status, bytes, header("Retry-After"));
        }
    }
}
