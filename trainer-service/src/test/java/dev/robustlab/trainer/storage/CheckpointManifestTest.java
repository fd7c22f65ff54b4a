package dev.robustlab.trainer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.service.worker.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointManifestTest {

    @Test
    void roundTripsThroughJsonAndNamesItsObjects() {
        RunSpec spec = new RunSpec("t", new DatasetSpec("toy-circles", 10, 10, 1L), null, null, 2, null, null, null,
                null, null, 3L).withDefaults();
        byte[] parameters = "weights".getBytes(StandardCharsets.UTF_8);
        CheckpointManifest manifest = new CheckpointManifest("run-1", 2, 2, spec, spec.model().describe(),
                Sha256.hex(parameters), parameters.length, Instant.parse("2026-01-02T03:04:05Z"),
                CheckpointKeys.parameters("run-1", 2), "trainer-a", 0.5, 0.75, 1.5, null);

        CheckpointManifest read = EventJson.decode(EventJson.encode(manifest), CheckpointManifest.class);

        assertEquals(manifest, read);
        assertEquals(new CheckpointRef("bucket", "runs/run-1/epoch-002/model.params",
                "runs/run-1/epoch-002/manifest.json", manifest.sha256(), 7), read.ref("bucket"));
    }

    @Test
    void sha256IsLowercaseHex() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }
}
