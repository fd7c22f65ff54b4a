package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.engine.MlEngine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small CNN: PyTorch's layer shapes and initialisation, its logits' shape, and a checkpoint round trip. */
class SmallCnnTest {
    private static final ModelSpec SPEC = new ModelSpec(Models.SMALL_CNN, null);
    private static final Shape IMAGE = new Shape(1, 28, 28);

    @Test
    void hasTheParametersOfThePyTorchNetwork() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(SPEC, IMAGE, 10, 5L, manager)) {
            // conv1 16·1·3·3 + 16 = 160; conv2 32·16·3·3 + 32 = 4640; linear1 1568·100 + 100 = 156 900;
            // linear2 100·10 + 10 = 1010; total 162 710 (sum(p.numel()) of the nn.Sequential in torchscript_models.py)
            List<Shape> expected = List.of(new Shape(16, 1, 3, 3), new Shape(16), new Shape(32, 16, 3, 3),
                    new Shape(32), new Shape(100, 1568), new Shape(100), new Shape(10, 100), new Shape(10));
            List<Parameter> parameters = model.parameters();
            assertEquals(expected, parameters.stream().map(p -> p.getArray().getShape()).toList());
            assertEquals(162_710L, parameters.stream().mapToLong(p -> p.getArray().size()).sum());
            // PyTorch's default: U(±1/√fanIn), fanIn = 9, 144, 1568, 100 for the four layers
            long[] fanIns = {9, 9, 144, 144, 1568, 1568, 100, 100};
            for (int i = 0; i < parameters.size(); i++) {
                float[] values = parameters.get(i).getArray().toFloatArray();
                double bound = 1 / Math.sqrt(fanIns[i]);
                double largest = 0;
                for (float v : values) {
                    largest = Math.max(largest, Math.abs(v));
                }
                assertTrue(largest <= bound, parameters.get(i).getName() + " exceeds ±" + bound + ": " + largest);
                if (values.length >= 100) {
                    assertTrue(largest > 0.9 * bound, parameters.get(i).getName() + " does not fill ±" + bound);
                }
            }
            assertEquals("small-cnn", model.description());
        }
    }

    @Test
    void givesOneLogitPerClassAndDependsOnTheSeed() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(SPEC, IMAGE, 10, 5L, manager);
             Classifier same = Models.create(SPEC, IMAGE, 10, 5L, manager);
             Classifier other = Models.create(SPEC, IMAGE, 10, 6L, manager)) {
            NDArray x = manager.randomUniform(0, 1, new Shape(4, 1, 28, 28));
            NDArray logits = model.logits(x, false);
            assertEquals(new Shape(4, 10), logits.getShape());
            assertArrayEquals(logits.toFloatArray(), same.logits(x, false).toFloatArray(), 0f);
            assertFalse(java.util.Arrays.equals(logits.toFloatArray(), other.logits(x, false).toFloatArray()));
        }
    }

    @Test
    void checkpointRoundTripWithAndWithoutTheSpec() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(SPEC, IMAGE, 10, 5L, manager)) {
            NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));
            float[] logits = model.logits(x, false).toFloatArray();
            byte[] checkpoint = Checkpoints.write(model);
            Checkpoints.Header header = Checkpoints.header(checkpoint);
            assertEquals(new Checkpoints.Header("small-cnn", IMAGE, 10), header);
            try (Classifier withSpec = Checkpoints.read(checkpoint, SPEC, IMAGE, 10, manager);
                 Classifier alone = Checkpoints.read(checkpoint, manager)) {
                assertArrayEquals(logits, withSpec.logits(x, false).toFloatArray(), 0f);
                assertArrayEquals(logits, alone.logits(x, false).toFloatArray(), 0f);
                assertEquals(IMAGE, alone.inputShape());
                assertEquals(10, alone.classes());
            }
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> Checkpoints.read(checkpoint, new ModelSpec(ModelSpec.MLP, 64), IMAGE, 10, manager));
            assertTrue(wrong.getMessage().contains("small-cnn"), wrong.getMessage());
        }
    }

    @Test
    void descriptionsParseBackToTheirSpecs() {
        assertEquals(new ModelSpec(ModelSpec.MLP, 64), Models.parse("mlp(hidden=64)"));
        assertEquals(SPEC, Models.parse("small-cnn"));
        assertEquals("mlp(hidden=7)", Models.describe(Models.parse(Models.describe(new ModelSpec(ModelSpec.MLP, 7)))));
        for (String bad : new String[] {"mlp", "mlp(hidden=)", "resnet34", "small-cnn(hidden=64)", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertNotEquals(Models.describe(SPEC), Models.describe(new ModelSpec(ModelSpec.MLP, 64)));
    }

    @Test
    void refusesInputsThatAreNotImages() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Models.create(SPEC, new Shape(2), 2, 1L, manager));
            assertTrue(e.getMessage().contains("(channels, height, width)"), e.getMessage());
        }
    }
}
