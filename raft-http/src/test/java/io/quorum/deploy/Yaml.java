package io.quorum.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small readers over parsed YAML trees, failing with the path that is missing. */
final class Yaml {

    /** The node at {@code path} (field names separated by {@code /}); fails naming the path when absent. */
    static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String field : path.split("/")) {
            current = current.get(field);
            if (current == null || current.isNull()) {
                throw new AssertionError("no " + path + " in " + node);
            }
        }
        return current;
    }

    static String text(JsonNode node, String path) {
        return at(node, path).asText();
    }

    /** The elements of a sequence as text. */
    static List<String> texts(JsonNode sequence) {
        List<String> texts = new ArrayList<>();
        sequence.forEach(e -> texts.add(e.asText()));
        return texts;
    }

    /** A mapping of scalars as a map of text. */
    static Map<String, String> map(JsonNode mapping) {
        Map<String, String> map = new LinkedHashMap<>();
        mapping.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private Yaml() {}
}
