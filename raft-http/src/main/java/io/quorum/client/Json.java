package io.quorum.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** JSON of the API's answers, with one shared mapper; fields the client does not know are ignored. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    /** The body as {@code type}; a body that is not that JSON is an unknown-outcome failure (it came from something else). */
    static <T> T read(byte[] body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new QuorumException(QuorumException.NO_ANSWER, "BAD_ANSWER", "the answer is not the expected "
                    + type.getSimpleName() + ": " + e.getMessage(), null, false, e);
        }
    }

    static JsonNode tree(byte[] body) {
        return read(body, JsonNode.class);
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Duration duration(JsonNode node) {
        return node == null || node.isNull() ? Duration.ZERO
                : node.isNumber() ? Duration.ofMillis(node.asLong()) : DurationText.parse(node.asText());
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** An error answer: {@code {"error":{"code","message"}}}, or the bare status when the body is something else. */
    static QuorumException error(int status, byte[] body, String retryAfterHeader) {
        String code = "HTTP_" + status;
        String message = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode error = body == null ? null : MAPPER.readTree(body).path("error");
            if (error != null && error.hasNonNull("code")) {
                code = error.get("code").asText();
                message = error.path("message").asText("");
            }
        } catch (IOException e) {
            // Not JSON: keep the status and the text.
        }
        if (message.isEmpty()) {
            message = "status " + status;
        }
        return QuorumException.ofAnswer(status, code, message, retryAfter(retryAfterHeader));
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
