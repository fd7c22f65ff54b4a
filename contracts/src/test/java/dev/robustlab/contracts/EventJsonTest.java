package dev.robustlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustlab.contracts.event.EpochMetricRecorded;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.contracts.spec.RunSpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class EventJsonTest {

    @TestFactory
    Stream<DynamicTest> everyEventSurvivesARoundTrip() {
        return Samples.events().stream().map(event -> DynamicTest.dynamicTest(event.getClass().getSimpleName(),
                () -> assertEquals(event, EventJson.decode(EventJson.encode(event), event.getClass()))));
    }

    @Test
    void specSurvivesARoundTrip() {
        RunSpec spec = Samples.spec();
        assertEquals(spec, EventJson.decode(EventJson.encode(spec), RunSpec.class));
        RunSpec image = Samples.imageSpec();
        assertEquals(image, EventJson.decode(EventJson.encode(image), RunSpec.class));
    }

    @Test
    void instantsAreWrittenAsIsoText() {
        String json = EventJson.encode(Samples.runStatusChanged());
        assertEquals(true, json.contains("\"at\":\"2025-01-02T03:04:05.678Z\""), json);
    }

    @Test
    void unknownFieldsAreIgnoredSoProducersMayAddFields() {
        EpochMetricRecorded m = EventJson.decode("{\"runId\":\"r\",\"epoch\":2,\"attack\":\"pgd-20\","
                + "\"examples\":10,\"cleanAccuracy\":0.5,\"robustAccuracy\":0.25,\"addedLater\":true}",
                EpochMetricRecorded.class);
        assertEquals(new EpochMetricRecorded("r", 2, "pgd-20", 10, 0.5, 0.25), m);
    }

    @Test
    void nonJsonIsMalformed() {
        assertThrows(EventJson.MalformedEventException.class,
                () -> EventJson.decode("this is not json", RobustnessMeasured.class));
        assertThrows(EventJson.MalformedEventException.class, () -> EventJson.decode("", RunStatusChanged.class));
        assertThrows(EventJson.MalformedEventException.class, () -> EventJson.decode(null, RunStatusChanged.class));
    }

    @Test
    void nullForAPrimitiveIsMalformed() {
        assertThrows(EventJson.MalformedEventException.class, () -> EventJson.decode(
                "{\"runId\":\"r\",\"epoch\":null,\"attack\":\"pgd-20\"}", EpochMetricRecorded.class));
    }

    @Test
    void wrongTypeIsMalformed() {
        assertThrows(EventJson.MalformedEventException.class, () -> EventJson.decode(
                "{\"runId\":\"r\",\"epoch\":\"two\"}", EpochMetricRecorded.class));
    }
}
