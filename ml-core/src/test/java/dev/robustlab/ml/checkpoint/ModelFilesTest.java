package dev.robustlab.ml.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import dev.robustlab.ml.model.TorchScriptModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model files load whatever their format, and anything that does not fit is refused naming the file. */
class ModelFilesTest {
    private static final Shape TINY_INPUT = new Shape(1, 8, 8);

    @Test
    void loadsACheckpointFromItsOwnHeader(@TempDir Path dir) throws IOException {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier trained = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(3), 4, 9L, manager)) {
            Path file = Files.write(dir.resolve("model.rlck"), Checkpoints.write(trained));
            NDArray x = manager.randomUniform(0, 1, new Shape(5, 3));
            assertEquals(ModelFiles.Format.CHECKPOINT, ModelFiles.detect(file));
            try (Classifier loaded = ModelFiles.load(file, new Shape(3), 4, manager)) {
                assertEquals("mlp(hidden=8)", loaded.description());
                assertArrayEquals(trained.logits(x, false).toFloatArray(), loaded.logits(x, false).toFloatArray(), 0f);
                assertFalse(loaded.parameters().get(0).requiresGradient(), "loaded for evaluation: frozen");
            }
            assertRefused(file, new Shape(3), 5, "mlp(hidden=8) on inputs (3) with 4 classes, but the data has "
                    + "inputs (3) and 5 classes");
            assertRefused(file, new Shape(1, 3), 4, "but the data has inputs (1, 3)");
            byte[] corrupt = Files.readAllBytes(file);
            corrupt[corrupt.length - 12] ^= 0x04;
            assertRefused(Files.write(dir.resolve("corrupt.rlck"), corrupt), new Shape(3), 4, "checksum");
        }
    }

    @Test
    void loadsATorchScriptFile() throws URISyntaxException {
        Path file = Path.of(ModelFilesTest.class.getResource("/model/tiny-scripted.pt").toURI());
        assertEquals(ModelFiles.Format.TORCHSCRIPT, ModelFiles.detect(file));
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier loaded = ModelFiles.load(file, TINY_INPUT, 3, manager);
             Classifier direct = TorchScriptModels.load(file, TINY_INPUT, manager)) {
            NDArray x = manager.randomUniform(0, 1, new Shape(2, 1, 8, 8));
            assertArrayEquals(direct.logits(x, false).toFloatArray(), loaded.logits(x, false).toFloatArray(), 0f);
        }
        assertRefused(file, TINY_INPUT, 10, "outputs 3 logits, but the data has 10 classes");
    }

    @Test
    void refusesMissingFilesAndOtherFormats(@TempDir Path dir) throws IOException {
        assertRefused(dir.resolve("absent.pt"), TINY_INPUT, 3, "does not exist");
        Path text = Files.writeString(dir.resolve("weights.bin"), "0.1 0.2 0.3");
        assertRefused(text, TINY_INPUT, 3, "neither a Robustlab checkpoint");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.detect(text));
        assertTrue(e.getMessage().contains("TorchScript"), e.getMessage());
        assertRefused(Files.write(dir.resolve("empty.pt"), new byte[0]), TINY_INPUT, 3, "neither");
    }

    private static void assertRefused(Path file, Shape shape, int classes, String messagePart) {
        try (NDManager manager = MlEngine.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelFiles.load(file, shape, classes, manager));
            assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
            assertTrue(e.getMessage().contains(messagePart), "says why: " + e.getMessage());
            assertTrue(manager.getManagedArrays().isEmpty(), "nothing left behind");
        }
    }
}
