package dev.robustlab.gateway.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.FieldError;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.RunSpecValidator;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run request body into a complete, valid {@link RunSpec}, or names every problem. The body is walked
 * against the records of the spec: a field no record has, or a value of the wrong JSON type, is an error named by
 * its path ({@code threatModel.epsilon}, {@code lrSchedule.knots[1].epoch}) and is then left out, so the rest of
 * the spec can still be checked; the spec then gets its defaults and goes through {@link RunSpecValidator}. A
 * validator error about a field the reader already reported, about a part of it, or about the object holding it
 * (e.g. a knot that lost its wrongly typed epoch) is not repeated.
 */
public final class RunRequestReader {

    /**
     * The outcome: a spec with every default filled in when {@code errors} is empty; otherwise {@code spec} is
     * null and {@code message} says what kind of problem it is.
     */
    public record Result(RunSpec spec, String message, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty() && spec != null;
        }
    }

    private RunRequestReader() {
    }

    /** Reads and checks {@code body}. */
    public static Result read(String body) {
        if (body == null || body.isBlank()) {
            return invalid("the request body is empty: send a run spec as a JSON object", List.of());
        }
        JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return invalid("the request body is not JSON: " + e.getOriginalMessage(), List.of());
        }
        if (tree == null || !tree.isObject()) {
            return invalid("the request body must be a JSON object (a run spec)", List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode cleaned = cleanObject((ObjectNode) tree, RunSpec.class, "", errors);
        RunSpec spec;
        try {
            spec = EventJson.mapper().treeToValue(cleaned, RunSpec.class).withDefaults();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Cannot happen after cleaning; refuse rather than guess.
            return invalid("the run spec cannot be read: " + e.getMessage(), errors);
        }
        List<FieldError> reported = List.copyOf(errors);
        for (FieldError e : RunSpecValidator.validate(spec)) {
            if (reported.stream().noneMatch(r -> covers(r.field(), e.field()) || covers(e.field(), r.field()))) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            return invalid(errors.size() == 1 ? "the run spec has 1 problem"
                    : "the run spec has " + errors.size() + " problems", errors);
        }
        return new Result(spec, null, List.of());
    }

    private static Result invalid(String message, List<FieldError> errors) {
        return new Result(null, message, List.copyOf(errors));
    }

    /** Whether {@code field} is {@code reported} or lies inside it. */
    private static boolean covers(String reported, String field) {
        return field.equals(reported) || field.startsWith(reported + ".") || field.startsWith(reported + "[");
    }

    private static ObjectNode cleanObject(ObjectNode node, Class<?> type, String path, List<FieldError> errors) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        Arrays.stream(type.getRecordComponents()).forEach(c -> components.put(c.getName(), c));
        ObjectNode cleaned = node.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            RecordComponent component = components.get(field.getKey());
            if (component == null) {
                errors.add(new FieldError(at, "unknown field; " + (path.isEmpty() ? "a run spec" : path)
                        + " has " + components.keySet()));
                continue;
            }
            JsonNode value = clean(field.getValue(), component.getGenericType(), at, errors);
            if (value != null) {
                cleaned.set(field.getKey(), value);
            }
        }
        return cleaned;
    }

    /** The value if it fits {@code type} (cleaned inside), or null after reporting why not. */
    private static JsonNode clean(JsonNode value, Type type, String path, List<FieldError> errors) {
        if (value.isNull()) {
            return value;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (!value.isArray()) {
                return wrong(path, "a JSON array", value, errors);
            }
            Type element = p.getActualTypeArguments()[0];
            var cleaned = EventJson.mapper().createArrayNode();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = clean(value.get(i), element, path + "[" + i + "]", errors);
                cleaned.add(item == null ? EventJson.mapper().nullNode() : item);
            }
            return cleaned;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            // A map by name, e.g. training.parameters: its keys are the JSON object's, each value is checked by type
            // here and by name (which the validator knows per method) after the defaults.
            if (!value.isObject()) {
                return wrong(path, "a JSON object", value, errors);
            }
            Type element = p.getActualTypeArguments()[1];
            ObjectNode cleaned = EventJson.mapper().createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                JsonNode item = clean(entry.getValue(), element, path + "." + entry.getKey(), errors);
                if (item != null) {
                    cleaned.set(entry.getKey(), item);
                }
            }
            return cleaned;
        }
        Class<?> c = (Class<?>) type;
        if (c.isRecord()) {
            return value.isObject() ? cleanObject((ObjectNode) value, c, path, errors)
                    : wrong(path, "a JSON object", value, errors);
        }
        if (c == String.class) {
            return value.isTextual() ? value : wrong(path, "a string", value, errors);
        }
        if (c == Integer.class) {
            return value.isIntegralNumber() && value.canConvertToInt() ? value
                    : wrong(path, "a whole number (32-bit)", value, errors);
        }
        if (c == Long.class) {
            return value.isIntegralNumber() && value.canConvertToLong() ? value
                    : wrong(path, "a whole number (64-bit)", value, errors);
        }
        if (c == Double.class) {
            return value.isNumber() ? value : wrong(path, "a number", value, errors);
        }
        if (c == Boolean.class) {
            return value.isBoolean() ? value : wrong(path, "true or false", value, errors);
        }
        throw new IllegalStateException("RunRequestReader does not know type " + type + " at " + path);
    }

    private static JsonNode wrong(String path, String expected, JsonNode value, List<FieldError> errors) {
        String shown = value.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        errors.add(new FieldError(path, "must be " + expected + ", got " + describe(value) + " " + shown));
        return null;
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? "a whole number" : "a fractional number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isObject() ? "an object" : "a " + value.getNodeType().name().toLowerCase();
    }
}
