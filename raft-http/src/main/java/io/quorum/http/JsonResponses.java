package io.quorum.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/** JSON in and out with one shared Jackson mapper (thread-safe once configured). */
final class JsonResponses {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonResponses() {}

    /** Ends the request with {@code status} and {@code body} as JSON. */
    static void send(RoutingContext ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(bytes));
    }

    /**
     * The request body as a JSON object; an absent or empty body is an empty object.
     *
     * @throws ApiException 400 when the body is not one JSON object
     */
    static ObjectNode bodyObject(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return MAPPER.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.invalid("the body is not valid JSON: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            return MAPPER.createObjectNode();
        }
        if (!(tree instanceof ObjectNode object)) {
            throw ApiException.invalid("the body must be a JSON object, not " + tree.getNodeType().name().toLowerCase());
        }
        return object;
    }
}
