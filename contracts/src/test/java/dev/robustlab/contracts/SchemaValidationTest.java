package dev.robustlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.robustlab.contracts.spec.RunSpecValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** What EventJson writes is valid against the published schemas, and the schemas refuse what the gateway refuses. */
class SchemaValidationTest {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(r -> r.mapPrefix("https://robustlab.dev/schemas/",
                    "classpath:schemas/")));

    private static Schema schema(String name) {
        return REGISTRY.getSchema(SchemaLocation.of("https://robustlab.dev/schemas/" + name + ".schema.json"));
    }

    private static List<Error> errors(String schema, String json) {
        return schema(schema).validate(json, InputFormat.JSON);
    }

    @TestFactory
    Stream<DynamicTest> encodedEventsAreValid() {
        return Samples.events().stream().map(event -> DynamicTest.dynamicTest(event.getClass().getSimpleName(),
                () -> {
                    String json = EventJson.encode(event);
                    List<Error> errors = errors(event.getClass().getSimpleName(), json);
                    assertTrue(errors.isEmpty(), json + " -> " + errors);
                }));
    }

    @Test
    void aSpecWithDefaultsIsValid() {
        assertEquals(List.of(), errors("RunSpec", EventJson.encode(Samples.spec())));
    }

    @Test
    void anImageSpecWithEveryNewPartIsValid() {
        assertEquals(List.of(), RunSpecValidator.validate(Samples.imageSpec()));
        assertEquals(List.of(), errors("RunSpec", EventJson.encode(Samples.imageSpec())));
        assertEquals(List.of(), errors("RunSpec", "{\"dataset\":{\"name\":\"cifar10\"},\"model\":{\"architecture\":"
                + "\"wrn\",\"depth\":34},\"training\":{\"method\":\"mart\",\"parameters\":{\"beta\":5},"
                + "\"weightPerturbation\":{\"type\":\"rwp\"},\"augmentation\":{\"horizontalFlip\":false}}}"));
    }

    @Test
    void newPartsRefuseUnknownFieldsAndWrongTypes() {
        assertFalse(errors("RunSpec", "{\"dataset\":{\"name\":\"cifar10\"},\"model\":{\"architecture\":"
                + "\"vit\"}}").isEmpty());
        assertFalse(errors("RunSpec", "{\"dataset\":{\"name\":\"cifar10\"},\"training\":{\"parameters\":"
                + "{\"beta\":\"6\"}}}").isEmpty());
        assertFalse(errors("RunSpec", "{\"dataset\":{\"name\":\"cifar10\"},\"training\":{\"weightPerturbation\":"
                + "{\"type\":\"sam\"}}}").isEmpty());
        assertFalse(errors("RunSpec", "{\"dataset\":{\"name\":\"cifar10\"},\"training\":{\"augmentation\":"
                + "{\"cutout\":true}}}").isEmpty());
    }

    @Test
    void aMinimalRequestIsValid() {
        assertEquals(List.of(), errors("RunSpec", "{\"dataset\":{\"name\":\"toy-circles\"}}"));
    }

    @Test
    void unknownFieldsAndWrongTypesAreInvalid() {
        assertFalse(errors("RunSpec", "{\"dataset\":{\"name\":\"toy-circles\"},\"epochz\":3}").isEmpty());
        assertFalse(errors("RunSpec", "{\"dataset\":{\"name\":\"toy-circles\"},\"epochs\":\"3\"}").isEmpty());
        assertFalse(errors("RunSpec", "{\"dataset\":{\"name\":\"toy-circles\",\"size\":3}}").isEmpty());
        assertFalse(errors("RunSpec", "{}").isEmpty());
    }

    @Test
    void anEventMissingARequiredFieldIsInvalid() {
        assertFalse(errors("EpochMetricRecorded", "{\"runId\":\"r\",\"epoch\":1,\"attack\":\"pgd-20\"}").isEmpty());
    }
}
