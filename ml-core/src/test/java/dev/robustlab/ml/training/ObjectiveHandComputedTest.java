package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static java.lang.Math.log;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each objective on two examples and three classes, computed by hand from the formulas of METHODS.md. The model is
 * the identity, so the inputs are the logits:
 * <pre>
 *   example A: y = 0, z = (0, 0, 0)     p = (1/3, 1/3, 1/3);   z' = (0, ln 2, 0)       p' = (1/4, 1/2, 1/4)
 *   example B: y = 1, z = (ln 3, 0, 0)  p = (3/5, 1/5, 1/5);   z' = (0, ln 2, ln 4)    p' = (1/7, 2/7, 4/7)
 * </pre>
 */
class ObjectiveHandComputedTest {
    private static final ThreatModel THREAT = new ThreatModel("linf", 0.1, 0.025, 3);
    private static final double LN2 = log(2);
    private static final double LN3 = log(3);
    /** KL(p_A ‖ p'_A) = 1/3 [ln(4/3) + ln(2/3) + ln(4/3)] = 1/3 ln(32/27). */
    private static final double KL_A = log(32.0 / 27) / 3;
    /** KL(p_B ‖ p'_B) = 3/5 ln(21/5) + 1/5 ln(7/10) + 1/5 ln(7/20). */
    private static final double KL_B = 0.6 * log(21.0 / 5) + 0.2 * log(7.0 / 10) + 0.2 * log(7.0 / 20);

    @Test
    void alp() {
        // CE over the 4 rows: ln 3 (A), ln 5 (B), ln 4 (A'), −ln(2/7) (B');
        // ‖z − z'‖²: A (0, −ln 2, 0) → ln²2; B (ln 3, −ln 2, −2 ln 2) → ln²3 + 5 ln²2
        double crossEntropy = (LN3 + log(5) + log(4) + log(3.5)) / 4;
        double pairing = (LN2 * LN2 + LN3 * LN3 + 5 * LN2 * LN2) / 2;
        assertEquals(crossEntropy + 0.5 * pairing, loss(TrainingMethods.ALP, Map.of()), 1e-6);
        assertEquals(crossEntropy + 2 * pairing, loss(TrainingMethods.ALP, Map.of("lambda", 2.0)), 1e-6);
    }

    @Test
    void trades() {
        double natural = (LN3 + log(5)) / 2;
        assertEquals(natural + 6 * (KL_A + KL_B) / 2, loss(TrainingMethods.TRADES, Map.of()), 1e-6);
    }

    @Test
    void mart() {
        // BCE: A −ln(1/4) − ln(1 − 1/2) = ln 8;  B −ln(2/7) − ln(1 − 4/7) = ln(7/2) + ln(7/3)
        double boosted = (log(8) + log(3.5) + log(7.0 / 3)) / 2;
        // KL weighted by 1 − p_y(x): A 1 − 1/3, B 1 − 1/5
        double robust = (KL_A * 2 / 3 + KL_B * 4 / 5) / 2;
        assertEquals(boosted + 6 * robust, loss(TrainingMethods.MART, Map.of()), 1e-6);
    }

    @Test
    void mail() {
        // PM on p': A max(1/2, 1/4) − 1/4 = 1/4;  B max(1/7, 4/7) − 2/7 = 2/7;  ω = 3σ(s(PM + b)), b = −1.5, s = 1
        double omegaA = 3 * sigmoid(0.25 - 1.5);
        double omegaB = 3 * sigmoid(2.0 / 7 - 1.5);
        assertEquals((omegaA * log(4) + omegaB * log(3.5)) / 2, loss(TrainingMethods.MAIL_AT, Map.of()), 1e-6);
        double natural = (LN3 + log(5)) / 2;
        assertEquals(natural + 6 * (omegaA * KL_A + omegaB * KL_B) / 2,
                loss(TrainingMethods.MAIL_TRADES, Map.of()), 1e-6);
        double boosted = (omegaA * log(8) + omegaB * (log(3.5) + log(7.0 / 3))) / 2;
        double robust = (KL_A * 2 / 3 + KL_B * 4 / 5) / 2;
        assertEquals(boosted + 6 * robust, loss(TrainingMethods.MAIL_MART, Map.of()), 1e-6);
        // b = 0.5, s = 2: ω = 3σ(2(PM + 0.5))
        double steepA = 3 * sigmoid(2 * (0.25 + 0.5));
        double steepB = 3 * sigmoid(2 * (2.0 / 7 + 0.5));
        assertEquals((steepA * log(4) + steepB * log(3.5)) / 2,
                loss(TrainingMethods.MAIL_AT, Map.of("bias", 0.5, "slope", 2.0)), 1e-6);
    }

    @Test
    void nmse() {
        // ẑ: A z = 0 stays 0 (norm floored at 1e-12), ẑ' = (0, 1, 0): distance 1; B ẑ = (1, 0, 0),
        // ẑ' = (0, 1, 2)/√5: distance 1 + 1/5 + 4/5 = 2. Weights w = 1 − p_y(x): A 2/3, B 4/5.
        double nmse = (2.0 / 3 * 1 + 4.0 / 5 * 2) / 2;
        double adversarialCe = (log(4) + log(3.5)) / 2;
        double cleanCe = (LN3 + log(5)) / 2;
        assertEquals(adversarialCe + 4 * nmse, loss(TrainingMethods.NMSE, Map.of()), 1e-6);
        assertEquals(cleanCe + 1.5 * nmse, loss(TrainingMethods.NMSE, Map.of("mu", 1.5, "ce_on_clean", 1.0)), 1e-6);
    }

    private static double loss(String method, Map<String, Double> parameters) {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier identity = TinyModels.identity(manager)) {
            NDArray clean = manager.create(new float[] {0, 0, 0, (float) LN3, 0, 0}, new Shape(2, 3));
            NDArray adversarial = manager.create(new float[] {0, (float) LN2, 0, 0, (float) LN2, (float) (2 * LN2)},
                    new Shape(2, 3));
            NDArray labels = manager.create(new long[] {0, 1});
            TrainingObjective objective = Objectives.create(method, parameters, THREAT);
            return objective.loss(identity, TinyModels.pair(clean, adversarial), labels).loss().getFloat();
        }
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
