package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parameter gradient each objective's loss back-propagates equals central finite differences of the loss, in
 * float64 on a tiny tanh MLP (the fixture of {@code objective_losses.py}: 4 examples, 3 features, 4 hidden units,
 * 3 classes, 31 parameters), for every method at its defaults and at other values. Detached weights (MAIL's ω,
 * NMSE's w) are held at their value at θ when differencing, since the gradient treats them as constants.
 */
class ObjectiveGradientCheckTest {
    private static final ThreatModel THREAT = new ThreatModel("linf", 0.1, 0.025, 3);
    private static final double H = 1e-5;
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-9;

    @Test
    void gradientsMatchCentralDifferences() {
        ObjectiveFixture fixture = ObjectiveFixture.read(
                ObjectiveFixture.directory().resolve("objective_losses-expected.txt"));
        int checked = 0;
        try (NDManager manager = MlEngine.newBaseManager()) {
            for (ObjectiveFixture.Case c : fixture.cases()) {
                try (NDManager scope = manager.newSubManager();
                     Classifier model = fixture.model(DataType.FLOAT64, scope)) {
                    TrainingObjective objective = Objectives.create(c.method(), c.parameters(), THREAT);
                    NDArray clean = fixture.clean(DataType.FLOAT64, scope);
                    NDArray adversarial = fixture.adversarial(DataType.FLOAT64, scope);
                    NDArray labels = fixture.labels(scope);
                    NDList inputs = new NDList(clean, adversarial, labels);
                    TinyModels.Evaluation analytic = TinyModels.lossAndGradient(model, inputs,
                            in -> objective.loss(model, TinyModels.pair(in.get(0), in.get(1)), in.get(2)).loss());
                    double[] numeric = TinyModels.finiteDifferences(model, inputs,
                            withWeightsHeld(objective, model, clean, adversarial, labels), H);
                    String name = c.method() + " " + c.parameters();
                    assertEquals(31, numeric.length, name);
                    assertTrue(Double.isFinite(analytic.loss()), name);
                    for (int j = 0; j < numeric.length; j++) {
                        double g = analytic.gradient()[j];
                        double bound = RELATIVE * Math.max(Math.abs(g), Math.abs(numeric[j])) + ABSOLUTE;
                        assertTrue(Math.abs(g - numeric[j]) <= bound, name + ": parameter entry " + j
                                + ": back-propagated " + g + ", central difference " + numeric[j]);
                    }
                    checked++;
                }
            }
        }
        assertEquals(14, checked, "cases checked");
    }

    /** The loss as a function of θ, with MAIL's and NMSE's detached weights fixed at their value at θ now. */
    private static Function<NDList, NDArray> withWeightsHeld(TrainingObjective objective, Classifier model,
                                                            NDArray clean, NDArray adversarial, NDArray labels) {
        if (objective instanceof MailObjective mail) {
            NDArray weights = mail.weights(model.logits(adversarial, true), labels);
            return in -> mail.loss(model, TinyModels.pair(in.get(0), in.get(1)), in.get(2), weights).loss();
        }
        if (objective instanceof NmseObjective nmse) {
            NDArray weights = NmseObjective.weights(model.logits(clean, true), labels);
            return in -> nmse.loss(model, TinyModels.pair(in.get(0), in.get(1)), in.get(2), weights).loss();
        }
        return in -> objective.loss(model, TinyModels.pair(in.get(0), in.get(1)), in.get(2)).loss();
    }
}
