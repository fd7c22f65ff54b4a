package dev.robustlab.deploy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Modifier;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict JSON Schema (draft 2020-12) of a Jackson-mapped model class: the JSON properties Jackson reads and
 * writes, with their types, each object closed ({@code additionalProperties: false}). Applied to fabric8's model of
 * the Kubernetes API and to Strimzi's api model, it is the schema of the kinds those libraries describe: an
 * unknown or misspelt field, a string where a number belongs, a missing property marked required or a value outside
 * an enum fails validation, with the JSON path.
 *
 * <p>Mapping: strings, enums (their JSON values), integers, numbers, booleans, lists, maps (string keys), dates as
 * strings; fabric8's {@code IntOrString} as integer or string and {@code Quantity} as string or number, as
 * Kubernetes accepts them; {@code Object} and {@code JsonNode} as anything; a polymorphic base class
 * ({@code @JsonTypeInfo} with a property and {@code @JsonSubTypes}) as one of its subtypes, told apart by that
 * property. Each bean becomes one {@code $defs} entry.
 */
final class ModelSchema {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode defs = MAPPER.createObjectNode();
    private final Map<String, Class<?>> defined = new TreeMap<>();

    private ModelSchema() {
    }

    /** The schema of {@code root}, whose {@code apiVersion} and {@code kind} must be the given ones. */
    static ObjectNode of(Class<?> root, String apiVersion, String kind) {
        ModelSchema generator = new ModelSchema();
        JsonNode ref = generator.schema(MAPPER.constructType(root));
        ObjectNode schema = MAPPER.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$comment", "generated from " + root.getName() + " by " + ModelSchema.class.getSimpleName());
        ArrayNode allOf = schema.putArray("allOf");
        allOf.add(ref);
        ObjectNode header = allOf.addObject();
        header.putArray("required").add("apiVersion").add("kind").add("metadata");
        ObjectNode properties = header.putObject("properties");
        properties.putObject("apiVersion").put("const", apiVersion);
        properties.putObject("kind").put("const", kind);
        properties.putObject("metadata").putArray("required").add("name");
        schema.set("$defs", generator.defs);
        return schema;
    }

    private JsonNode schema(JavaType type) {
        Class<?> raw = type.getRawClass();
        ObjectNode s = MAPPER.createObjectNode();
        if (raw == String.class || raw == Character.class || raw == char.class
                || Temporal.class.isAssignableFrom(raw) || Date.class.isAssignableFrom(raw)) {
            s.put("type", "string");
        } else if (raw.isEnum()) {
            s.put("type", "string");
            ArrayNode values = s.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(MAPPER.valueToTree(constant));
            }
        } else if (raw == Boolean.class || raw == boolean.class) {
            s.put("type", "boolean");
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class
                || raw == Short.class || raw == short.class) {
            s.put("type", "integer");
        } else if (Number.class.isAssignableFrom(raw) || raw == double.class || raw == float.class) {
            s.put("type", "number");
        } else if (raw.getName().equals("io.fabric8.kubernetes.api.model.IntOrString")) {
            s.putArray("type").add("integer").add("string");
        } else if (raw.getName().equals("io.fabric8.kubernetes.api.model.Quantity")) {
            s.putArray("type").add("string").add("number");
        } else if (type.isCollectionLikeType() || type.isArrayType()) {
            s.put("type", "array");
            s.set("items", schema(type.getContentType()));
        } else if (type.isMapLikeType()) {
            s.put("type", "object");
            s.set("additionalProperties", schema(type.getContentType()));
        } else if (raw == Object.class || JsonNode.class.isAssignableFrom(raw) || raw.isInterface()
                && !raw.isAnnotationPresent(JsonSubTypes.class)) {
            return s; // anything
        } else {
            return reference(raw);
        }
        return s;
    }

    private JsonNode reference(Class<?> raw) {
        String name = raw.getName();
        ObjectNode ref = MAPPER.createObjectNode().put("$ref", "#/$defs/" + name);
        Class<?> known = defined.putIfAbsent(name, raw);
        if (known != null) {
            return ref;
        }
        ObjectNode def = defs.putObject(name);
        JsonTypeInfo typeInfo = raw.getAnnotation(JsonTypeInfo.class);
        JsonSubTypes subTypes = raw.getAnnotation(JsonSubTypes.class);
        if (subTypes != null && typeInfo != null && (Modifier.isAbstract(raw.getModifiers()) || raw.isInterface())) {
            String discriminator = typeInfo.property().isEmpty() ? "@type" : typeInfo.property();
            ArrayNode oneOf = def.putArray("oneOf");
            for (JsonSubTypes.Type sub : subTypes.value()) {
                String tag = sub.name().isEmpty() ? sub.value().getSimpleName() : sub.name();
                ObjectNode branch = oneOf.addObject();
                ArrayNode allOf = branch.putArray("allOf");
                allOf.add(bean(sub.value(), discriminator));
                ObjectNode header = allOf.addObject();
                header.putArray("required").add(discriminator);
                header.putObject("properties").putObject(discriminator).put("const", tag);
            }
            return ref;
        }
        def.setAll(bean(raw, null));
        return ref;
    }

    /** An object schema of a concrete bean; {@code discriminator} is the extra property of a polymorphic subtype. */
    private ObjectNode bean(Class<?> raw, String discriminator) {
        JavaType type = MAPPER.constructType(raw);
        BeanDescription description = MAPPER.getSerializationConfig().introspect(type);
        ObjectNode s = MAPPER.createObjectNode();
        s.put("type", "object");
        ObjectNode properties = s.putObject("properties");
        ArrayNode required = MAPPER.createArrayNode();
        for (BeanPropertyDefinition p : description.findProperties()) {
            if (!p.couldSerialize() && !p.couldDeserialize()) {
                continue;
            }
            properties.set(p.getName(), schema(p.getPrimaryType()));
            if (p.isRequired()) {
                required.add(p.getName());
            }
        }
        if (discriminator != null) {
            properties.putObject(discriminator).put("type", "string");
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        s.put("additionalProperties", false);
        return s;
    }

    /** Every class the schema defines (for tests of the generator itself). */
    static Collection<String> definedClasses(ObjectNode schema) {
        return iterableNames(schema.path("$defs"));
    }

    private static Collection<String> iterableNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
