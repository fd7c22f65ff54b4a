package dev.robustlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.event.EpochMetricRecorded;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.RunSpecValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the JSON schemas and the records in step: the properties of every schema (and of every schema it refers to
 * for a nested record) are exactly the record's components, so documentation cannot drift from the code.
 */
class SchemaRecordParityTest {

    /** Each schema file and the record it documents. */
    static final Map<String, Class<? extends Record>> SCHEMAS = new LinkedHashMap<>();

    static {
        SCHEMAS.put("RunSpec", RunSpec.class);
        SCHEMAS.put("CheckpointRef", CheckpointRef.class);
        SCHEMAS.put("RunRequested", RunRequested.class);
        SCHEMAS.put("RunStatusChanged", RunStatusChanged.class);
        SCHEMAS.put("CheckpointCreated", CheckpointCreated.class);
        SCHEMAS.put("AttackRequested", AttackRequested.class);
        SCHEMAS.put("RobustnessMeasured", RobustnessMeasured.class);
        SCHEMAS.put("AttackFailed", AttackFailed.class);
        SCHEMAS.put("EpochMetricRecorded", EpochMetricRecorded.class);
    }

    @TestFactory
    Stream<DynamicTest> schemaPropertiesAreTheRecordComponents() {
        return SCHEMAS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<String> problems = new ArrayList<>();
            compare(e.getKey() + ".schema.json", load(e.getKey()), load(e.getKey()), e.getValue(), problems,
                    new HashSet<>());
            assertTrue(problems.isEmpty(), String.join("\n", problems));
        }));
    }

    @Test
    void everySchemaFileIsChecked() throws IOException, URISyntaxException {
        Path dir = Path.of(SchemaRecordParityTest.class.getResource("/schemas").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> names = files.map(p -> p.getFileName().toString().replace(".schema.json", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(SCHEMAS.keySet()), names);
        }
    }

    @Test
    void enumsInTheRunSpecSchemaAreWhatTheValidatorAccepts() {
        JsonNode defs = load("RunSpec").get("$defs");
        assertEquals(RunSpecValidator.DATASETS, strings(defs.at("/DatasetSpec/properties/name/enum")));
        assertEquals(RunSpecValidator.ARCHITECTURES, strings(defs.at("/ModelSpec/properties/architecture/enum")));
        assertEquals(RunSpecValidator.METHODS, strings(defs.at("/TrainingSpec/properties/method/enum")));
        assertEquals(RunSpecValidator.WEIGHT_PERTURBATIONS,
                strings(defs.at("/WeightPerturbationSpec/properties/type/enum")));
        Set<String> normalizations = new HashSet<>(RunSpecValidator.DATASETS);
        normalizations.remove(DatasetSpec.TOY_CIRCLES);
        normalizations.add(ModelSpec.NONE);
        assertEquals(normalizations, strings(defs.at("/ModelSpec/properties/normalization/enum")));
        assertEquals(Set.copyOf(EvaluationPlan.KNOWN_ATTACKS),
                strings(defs.at("/EvaluationPlan/properties/attacks/items/enum")));
        assertEquals(Set.copyOf(EvaluationPlan.KNOWN_ATTACKS),
                strings(load("AttackRequested").at("/properties/attack/enum")));
    }

    @Test
    void requiredPropertiesExist() {
        for (String name : SCHEMAS.keySet()) {
            JsonNode schema = load(name);
            for (JsonNode required : schema.path("required")) {
                assertTrue(schema.get("properties").has(required.asText()), name + " requires " + required);
            }
        }
    }

    private static Set<String> strings(JsonNode array) {
        assertTrue(array.isArray(), "expected an enum array");
        Set<String> values = new HashSet<>();
        array.forEach(v -> {
            if (!v.isNull()) {
                values.add(v.asText());
            }
        });
        return values;
    }

    private static void compare(String where, JsonNode schema, JsonNode document, Class<?> type,
                                List<String> problems, Set<String> seen) {
        if (!seen.add(where)) {
            return;
        }
        JsonNode properties = schema.get("properties");
        if (properties == null) {
            problems.add(where + ": no properties for record " + type.getSimpleName());
            return;
        }
        Set<String> schemaNames = new TreeSet<>();
        properties.fieldNames().forEachRemaining(schemaNames::add);
        Set<String> componentNames = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!schemaNames.equals(componentNames)) {
            problems.add(where + ": schema properties " + schemaNames + " but " + type.getSimpleName()
                    + " has components " + componentNames);
        }
        for (RecordComponent component : type.getRecordComponents()) {
            JsonNode property = properties.get(component.getName());
            Class<?> nested = nestedRecord(component.getGenericType());
            if (property == null || nested == null) {
                continue;
            }
            JsonNode target = component.getType() == List.class ? property.get("items") : property;
            String at = where + "/" + component.getName();
            if (target == null || !target.has("$ref")) {
                problems.add(at + ": a nested record must be described by a $ref");
                continue;
            }
            String ref = target.get("$ref").asText();
            Resolved r = resolve(ref, document);
            compare(r.where(), r.schema(), r.document(), nested, problems, seen);
        }
    }

    /** The record type of a component, or of the elements of a list component; null for plain values. */
    private static Class<?> nestedRecord(Type type) {
        if (type instanceof Class<?> c) {
            return c.isRecord() ? c : null;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return nestedRecord(p.getActualTypeArguments()[0]);
        }
        return null;
    }

    private record Resolved(String where, JsonNode schema, JsonNode document) {
    }

    /** Resolves {@code #/$defs/X}, {@code Other.schema.json} and {@code Other.schema.json#/$defs/X}. */
    private static Resolved resolve(String ref, JsonNode document) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        JsonNode doc = file.isEmpty() ? document : load(file.replace(".schema.json", ""));
        JsonNode target = pointer.isEmpty() ? doc : doc.at(pointer);
        assertNotNull(target, ref);
        assertTrue(!target.isMissingNode(), "unresolvable $ref " + ref);
        return new Resolved(ref, target, doc);
    }

    static JsonNode load(String name) {
        String resource = "/schemas/" + name + ".schema.json";
        try (InputStream in = SchemaRecordParityTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
