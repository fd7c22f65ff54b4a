package dev.robustlab.ml.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A checkpoint of a model with BatchNorm and input normalisation holds the running statistics: the reloaded model
 * has every parameter bit-identical and gives the same eval-mode logits.
 */
class BatchNormCheckpointTest {
    private static final Shape RGB_32 = new Shape(3, 32, 32);

    @Test
    void runningStatisticsTravelWithTheCheckpoint() {
        ModelSpec spec = new ModelSpec(ModelSpec.PREACT_RESNET18, null, null, null, "svhn");
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.WRN, null, 10, 2, "cifar100"), RGB_32, 100,
                     9L, manager)) {
            NDArray x = manager.randomUniform(0, 1, new Shape(6, 3, 32, 32));
            model.logits(x, true);
            model.logits(x.mul(0.5), true);
            float[] logits = model.logits(x, false).toFloatArray();
            byte[] bytes = Checkpoints.write(model);
            assertEquals(new Checkpoints.Header("wrn(depth=10,width=2,normalization=cifar100)", RGB_32, 100),
                    Checkpoints.header(bytes));
            try (Classifier reloaded = Checkpoints.read(bytes, manager)) {
                List<Parameter> original = model.parameters();
                List<Parameter> loaded = reloaded.parameters();
                assertEquals(original.size(), loaded.size());
                int statistics = 0;
                for (int i = 0; i < original.size(); i++) {
                    assertEquals(original.get(i).getType(), loaded.get(i).getType());
                    float[] expected = original.get(i).getArray().toFloatArray();
                    assertArrayEquals(expected, loaded.get(i).getArray().toFloatArray(), 0f,
                            original.get(i).getName());
                    if (original.get(i).getType() == Parameter.Type.RUNNING_VAR) {
                        statistics++;
                        assertNotEquals(1f, expected[0], "training-mode forwards moved the running variance");
                    }
                }
                assertEquals(7, statistics, "3 blocks of 2 BatchNorm layers and the last one");
                assertArrayEquals(logits, reloaded.logits(x, false).toFloatArray(), 0f);
            }
            assertEquals("preact-resnet18(normalization=svhn)", Models.describe(spec));
        }
    }
}
