package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import dev.robustlab.ml.optimizer.Sgd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training steps of every objective (prepare, loss, backward, SGD, each batch in its own sub-manager as
 * {@link TrainingRun} does) leave no arrays behind in the model's manager, the run's manager or the engine.
 */
class ObjectiveLeakTest {
    private static final List<String> METHODS = List.of(TrainingMethods.ALP, TrainingMethods.TRADES,
            TrainingMethods.MART, TrainingMethods.MAIL_AT, TrainingMethods.MAIL_TRADES, TrainingMethods.MAIL_MART,
            TrainingMethods.NMSE);
    private static final int STEPS = 15;

    @Test
    void trainingStepsLeaveNoArraysBehind() {
        ThreatModel threat = new ThreatModel("linf", 0.1, 0.025, 3);
        for (String method : METHODS) {
            int systemBefore = systemArrays();
            try (NDManager base = MlEngine.newBaseManager();
                 Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(5), 3, 7L, base);
                 Sgd optimizer = new Sgd(0.9, 5e-4, base)) {
                TrainingObjective objective = Objectives.create(method, Map.of(), threat);
                SplittableRandom attackStarts = Seeds.stream(1, "leak-" + method);
                step(objective, model, optimizer, base, 0, attackStarts); // creates the momentum buffers
                int baseAfterFirst = base.getManagedArrays().size();
                int modelAfterFirst = model.manager().getManagedArrays().size();
                int systemAfterFirst = systemArrays();
                double firstLoss = Double.NaN;
                double lastLoss = Double.NaN;
                for (int s = 1; s <= STEPS; s++) {
                    double loss = step(objective, model, optimizer, base, s, attackStarts);
                    firstLoss = s == 1 ? loss : firstLoss;
                    lastLoss = loss;
                }
                assertTrue(Double.isFinite(firstLoss) && Double.isFinite(lastLoss), method + ": finite losses");
                assertEquals(baseAfterFirst, base.getManagedArrays().size(), method + ": live arrays of the base");
                assertEquals(modelAfterFirst, model.manager().getManagedArrays().size(),
                        method + ": live arrays of the model's manager");
                assertEquals(systemAfterFirst, systemArrays(), method + ": live arrays of the engine");
            }
            assertEquals(systemBefore, systemArrays(), method + ": live arrays of the engine after closing");
        }
    }

    /** One training step on a batch of 32 as TrainingRun runs it; returns the loss. */
    private static double step(TrainingObjective objective, Classifier model, Sgd optimizer, NDManager base, int s,
                               SplittableRandom attackStarts) {
        try (NDManager batch = base.newSubManager()) {
            SplittableRandom data = new SplittableRandom(s);
            float[] values = new float[32 * 5];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) data.nextDouble();
            }
            long[] labels = new long[32];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = data.nextInt(3);
            }
            NDArray x = batch.create(values, new Shape(32, 5));
            NDArray y = batch.create(labels);
            NDList prepared = objective.prepare(model, x, y, attackStarts);
            double loss;
            try (GradientScope gradients = GradientScope.open()) {
                TrainingObjective.Value value = objective.loss(model, prepared, y);
                gradients.backward(value.loss());
                loss = value.loss().getFloat();
                value.logits().argMax(1).eq(y).toBooleanArray();
            }
            optimizer.step(model.parameters(), 0.05);
            return loss;
        }
    }

    /** Every live array of the process: the system manager's, its base managers' and their sub-managers'. */
    private static int systemArrays() {
        try (NDManager probe = MlEngine.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
