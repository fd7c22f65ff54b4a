package dev.robustlab.ml.piat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import dev.robustlab.ml.optimizer.Sgd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PIAT on a model with BatchNorm (the smallest WRN): every interpolation sets every parameter, the running mean and
 * variance included, to α_t·θ_{t−1} + (1 − α_t)·θ̃_t exactly (float32, as the engine computes it), and α_t follows
 * min(α_max, (t + a) / (t + b)) up to its cap.
 */
class BatchNormInterpolationTest {
    private static final ModelSpec WRN_10_1 = new ModelSpec(ModelSpec.WRN, null, 10, 1, "cifar10");

    @Test
    void interpolationCoversRunningStatisticsAndFollowsTheSchedule() {
        PiatSpec schedule = new PiatSpec(true, 1.0, 10.0, 0.3);
        double[] alphas = {0.1, 2.0 / 11, 0.25, 0.3, 0.3};
        assertEquals(4.0 / 13, (3 + 1.0) / (3 + 10.0), 0.0);
        ParameterInterpolation piat = new ParameterInterpolation(schedule);
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(WRN_10_1, new Shape(3, 32, 32), 10, 5L, manager);
             Sgd sgd = new Sgd(0.9, 5e-4, manager)) {
            int running = 0;
            for (Parameter p : model.parameters()) {
                running += p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR
                        ? 1 : 0;
            }
            assertEquals(2 * 7, running, "7 BatchNorm layers (3 blocks of 2, the last), each with mean and variance");
            for (int t = 0; t < alphas.length; t++) {
                assertEquals(t, piat.interpolationsDone());
                assertEquals(alphas[t], piat.nextAlpha(), 1e-15, "α_" + t);
                try (ParameterInterpolation.Snapshot start = piat.snapshot(model)) {
                    List<float[]> before = values(model);
                    trainOneStep(model, sgd, manager, t);
                    List<float[]> trained = values(model);
                    double alpha = piat.interpolate(model, start);
                    assertEquals(alphas[t], alpha, 1e-15);
                    List<float[]> after = values(model);
                    List<Parameter> parameters = model.parameters();
                    int changedRunning = 0;
                    for (int p = 0; p < after.size(); p++) {
                        boolean statistic = parameters.get(p).getType() == Parameter.Type.RUNNING_MEAN
                                || parameters.get(p).getType() == Parameter.Type.RUNNING_VAR;
                        boolean changed = false;
                        for (int i = 0; i < after.get(p).length; i++) {
                            float expected = trained.get(p)[i] * (float) (1 - alpha)
                                    + before.get(p)[i] * (float) alpha;
                            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(after.get(p)[i]),
                                    "t=" + t + " " + parameters.get(p).getName() + "[" + i + "]: expected " + expected
                                            + ", got " + after.get(p)[i]);
                            changed |= before.get(p)[i] != trained.get(p)[i];
                        }
                        changedRunning += statistic && changed ? 1 : 0;
                    }
                    assertEquals(running, changedRunning, "the step moved every running statistic");
                }
            }
        }
    }

    /** One SGD step on a random batch with the model in training mode (which also moves the running statistics). */
    private static void trainOneStep(Classifier model, Sgd sgd, NDManager manager, int step) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.randomUniform(0, 1, new Shape(8, 3, 32, 32));
            long[] labels = new long[8];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (i + step) % 10;
            }
            NDArray y = batch.create(labels);
            try (GradientScope gradients = GradientScope.open()) {
                gradients.backward(LogitLoss.crossEntropy().mean(model.logits(x, true), y));
            }
            sgd.step(model.parameters(), 0.1);
        }
    }

    private static List<float[]> values(Classifier model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            values.add(p.getArray().toFloatArray());
        }
        assertTrue(values.size() > 20);
        return values;
    }
}
