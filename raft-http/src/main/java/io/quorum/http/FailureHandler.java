package io.quorum.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every error answer of the API is written here, as a status and
 * {@code {"error":{"code","message"}}}, with {@code Retry-After} where a retry is safe. It also
 * answers the router's own failures: no route (404), wrong method (405), a body over its limit
 * from the body handler (413 TOO_LARGE, before anything was proposed), and requests the HTTP
 * decoder refused ({@link #invalidRequest}).
 */
final class FailureHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

    void handle(RoutingContext ctx) {
        ApiException error = errorOf(ctx);
        if (error.status() >= 500 && error.status() != 503 && error.status() != 504) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        }
        if (ctx.response().headWritten()) {
            // Part of an answer is out already: closing is the only honest way to signal the failure.
            ctx.request().connection().close();
            return;
        }
        if (error.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        JsonResponses.send(ctx, error.status(), new ErrorBody(new ErrorBody.Error(error.code(), error.getMessage(), error.holders())));
    }

    /**
     * A request the HTTP decoder refused before any route saw it: headers over the server's limit
     * (431), a request line over it (414), or malformed HTTP (400). The connection cannot be
     * trusted after it and is closed once the answer is out.
     */
    void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ApiException error = cause instanceof TooLongHttpHeaderException
                ? new ApiException(431, "TOO_LARGE", "the request headers are over the limit")
                : cause instanceof TooLongHttpLineException
                        ? new ApiException(414, "TOO_LARGE", "the request line is over the limit")
                        : ApiException.invalid("the request is not valid HTTP");
        byte[] body;
        try {
            body = JsonResponses.MAPPER.writeValueAsBytes(new ErrorBody(new ErrorBody.Error(error.code(), error.getMessage(), error.holders())));
        } catch (JsonProcessingException e) {
            body = new byte[0];
        }
        request.response()
                .setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(Buffer.buffer(body))
                .onComplete(done -> request.connection().close());
    }

    private static ApiException errorOf(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof HttpException http) {
            return ofStatus(http.getStatusCode());
        }
        if (failure == null) {
            return ofStatus(ctx.statusCode());
        }
        return ErrorMapping.of(failure);
    }

    private static ApiException ofStatus(int status) {
        return switch (status) {
            case 400 -> ApiException.invalid("the request is malformed");
            case 404 -> new ApiException(404, "NOT_FOUND", "no such resource");
            case 405 -> new ApiException(405, "METHOD_NOT_ALLOWED", "the resource does not take this method");
            case 413 -> new ApiException(413, "TOO_LARGE", "the request body is over the limit");
            default -> new ApiException(status < 400 ? 500 : status, "INTERNAL", "the request failed with status " + status);
        };
    }

    record ErrorBody(Error error) {
        /** {@code holders} only for LOCK_HELD. */
        record Error(String code, String message, @JsonInclude(JsonInclude.Include.NON_NULL) List<?> holders) {}
    }
}
