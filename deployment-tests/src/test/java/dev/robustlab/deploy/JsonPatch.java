package dev.robustlab.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON Patch with the operations the overlays use: {@code add}, {@code replace}, {@code remove} and
 * {@code test}. Paths are RFC 6901 JSON pointers ({@code ~1} for {@code /}, {@code ~0} for {@code ~}). As in
 * kustomize, a failing operation (a missing path, a failed {@code test}) fails the whole render, naming the path.
 */
final class JsonPatch {

    private JsonPatch() {
    }

    /** Applies every operation of {@code operations} (a list of {op, path, value}) to {@code target}, in place. */
    static void apply(ObjectNode target, JsonNode operations, String source) {
        if (!operations.isArray()) {
            throw new IllegalArgumentException(source + ": a JSON patch is a list of operations");
        }
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText("");
            String path = operation.path("path").asText(null);
            if (path == null) {
                throw new IllegalArgumentException(source + ": operation without path: " + operation);
            }
            List<String> tokens = tokens(path);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException(source + ": the root cannot be patched (" + path + ")");
            }
            JsonNode parent = resolve(target, tokens.subList(0, tokens.size() - 1), source, path);
            String last = tokens.get(tokens.size() - 1);
            JsonNode value = operation.get("value");
            switch (op) {
                case "add" -> add(parent, last, value, source, path);
                case "replace" -> {
                    child(parent, last, source, path);
                    set(parent, last, value, source, path);
                }
                case "remove" -> {
                    child(parent, last, source, path);
                    if (parent instanceof ObjectNode o) {
                        o.remove(last);
                    } else {
                        ((ArrayNode) parent).remove(index(last, source, path));
                    }
                }
                case "test" -> {
                    JsonNode actual = child(parent, last, source, path);
                    if (!actual.equals(value)) {
                        throw new IllegalArgumentException(source + ": test failed at " + path + ": expected " + value
                                + ", found " + actual);
                    }
                }
                default -> throw new IllegalArgumentException(source + ": unsupported operation '" + op + "' at " + path);
            }
        }
    }

    static List<String> tokens(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("a JSON pointer starts with '/': " + pointer);
        }
        List<String> tokens = new ArrayList<>();
        for (String token : pointer.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static JsonNode resolve(JsonNode node, List<String> tokens, String source, String path) {
        JsonNode current = node;
        for (String token : tokens) {
            current = child(current, token, source, path);
        }
        return current;
    }

    private static JsonNode child(JsonNode parent, String token, String source, String path) {
        JsonNode child = null;
        if (parent instanceof ObjectNode o) {
            child = o.get(token);
        } else if (parent instanceof ArrayNode a) {
            int i = index(token, source, path);
            child = i < a.size() ? a.get(i) : null;
        }
        if (child == null) {
            throw new IllegalArgumentException(source + ": path " + path + " does not exist (at '" + token + "')");
        }
        return child;
    }

    private static void add(JsonNode parent, String token, JsonNode value, String source, String path) {
        if (parent instanceof ArrayNode a && token.equals("-")) {
            a.add(value);
        } else if (parent instanceof ArrayNode a) {
            int i = index(token, source, path);
            if (i > a.size()) {
                throw new IllegalArgumentException(source + ": index out of range at " + path);
            }
            a.insert(i, value);
        } else {
            set(parent, token, value, source, path);
        }
    }

    private static void set(JsonNode parent, String token, JsonNode value, String source, String path) {
        if (value == null) {
            throw new IllegalArgumentException(source + ": operation at " + path + " has no value");
        }
        if (parent instanceof ObjectNode o) {
            o.set(token, value.deepCopy());
        } else if (parent instanceof ArrayNode a) {
            a.set(index(token, source, path), value.deepCopy());
        } else {
            throw new IllegalArgumentException(source + ": " + path + " is inside a scalar");
        }
    }

    private static int index(String token, String source, String path) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": '" + token + "' in " + path + " is not an array index", e);
        }
    }
}
