package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.MlEngine;
import org.junit.jupiter.api.Test;

import static java.lang.Math.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * KL divergence, Squeeze Training's divergences, MART's boosted cross-entropy and MAIL's probabilistic margin
 * against values computed by hand: row A z = (0, ln 2, 0), p = (1/4, 1/2, 1/4); row B z = (0, ln 2, ln 4),
 * p = (1/7, 2/7, 4/7); the divergences on p = (1/4, 3/4) and q = (1/2, 1/2).
 */
class SoftmaxLossesTest {
    private static final float LN2 = (float) log(2);
    private static final float[] Z = {0, LN2, 0, 0, LN2, 2 * LN2};

    @Test
    void klDivergenceMatchesHandComputedValues() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray uniform = manager.zeros(new Shape(2, 3));
            NDArray logits = manager.create(Z, new Shape(2, 3));
            float[] kl = KlDivergence.perExample(uniform, logits).toFloatArray();
            // KL(u ‖ p) = Σ 1/3 ln((1/3) / p_k)
            assertEquals((log(4.0 / 3) + log(2.0 / 3) + log(4.0 / 3)) / 3, kl[0], 1e-6);
            assertEquals((log(7.0 / 3) + log(7.0 / 6) + log(7.0 / 12)) / 3, kl[1], 1e-6);
            assertEquals((kl[0] + kl[1]) / 2, KlDivergence.batchMean(uniform, logits).getFloat(), 1e-6);
            assertEquals(0, KlDivergence.perExample(logits, logits).toFloatArray()[1], 1e-7);
            NDArray labels = manager.create(new long[] {0, 0});
            float[] asLoss = KlDivergence.from(uniform).perExample(logits, labels).toFloatArray();
            assertEquals(kl[0], asLoss[0], 1e-7);
            assertEquals(kl[1], asLoss[1], 1e-7);
            assertThrows(IllegalArgumentException.class, () -> KlDivergence.perExample(uniform,
                    manager.zeros(new Shape(2, 4))));
        }
    }

    @Test
    void klAsALossLeavesItsArraysInTheLogitsManager() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray target = manager.create(Z, new Shape(2, 3));
            LogitLoss loss = KlDivergence.from(target);
            int targetArrays = manager.getManagedArrays().size();
            try (NDManager step = manager.newSubManager()) {
                NDArray logits = step.zeros(new Shape(2, 3));
                NDArray value = loss.perExample(logits, step.create(new long[] {0, 1}));
                assertSame(step, value.getManager());
            }
            assertEquals(targetArrays, manager.getManagedArrays().size(), "nothing lands in the target's manager");
        }
    }

    @Test
    void squeezeTrainingDivergencesMatchHandComputedValues() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            // p = softmax(0, ln 3) = (1/4, 3/4), q = softmax(0, 0) = (1/2, 1/2)
            NDArray a = manager.create(new float[] {0f, (float) log(3)}, new Shape(1, 2));
            NDArray b = manager.create(new float[] {0f, 0f}, new Shape(1, 2));
            double klPQ = 0.25 * log(0.5) + 0.75 * log(1.5);
            double klQP = 0.5 * log(2) + 0.5 * log(2.0 / 3);
            assertEquals(klPQ, KlDivergence.perExample(a, b).getFloat(0), 1e-6);
            assertEquals(0.5 * (klPQ + klQP), SoftmaxDivergences.symmetricKl(a, b).getFloat(0), 1e-6);
            double js = 0.5 * (0.25 * log(0.25 / 0.375) + 0.75 * log(0.75 / 0.625))
                    + 0.5 * (0.5 * log(0.5 / 0.375) + 0.5 * log(0.5 / 0.625));
            assertEquals(js, SoftmaxDivergences.jensenShannon(a, b).getFloat(0), 1e-6);
            assertEquals(0.125, SoftmaxDivergences.squaredL2(a, b).getFloat(0), 1e-6);
        }
    }

    @Test
    void boostedCrossEntropyMatchesHandComputedValues() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray logits = manager.create(Z, new Shape(2, 3));
            float[] bce = BoostedCrossEntropy.perExample(logits, manager.create(new long[] {0, 1})).toFloatArray();
            // A, y = 0: −ln(1/4) − ln(1 − 1/2);  B, y = 1: −ln(2/7) − ln(1 − 4/7)
            assertEquals(log(4) + log(2), bce[0], 1e-6);
            assertEquals(log(3.5) + log(7.0 / 3), bce[1], 1e-6);
        }
    }

    @Test
    void boostedCrossEntropyStaysFiniteWhereTheRunnerUpTakesAllTheMass() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            // y = 0, p_1 = e^100/(2 + e^100) rounds to 1: −ln p_0 = ln(2 + e^100), ln(1 − p_1) = ln 2 − ln(2 + e^100)
            NDArray logits = manager.create(new float[] {0, 100, 0}, new Shape(1, 3));
            float bce = BoostedCrossEntropy.perExample(logits, manager.create(new long[] {0})).getFloat();
            assertEquals(200 - log(2), bce, 1e-3);
        }
    }

    @Test
    void probabilisticMarginMatchesHandComputedValues() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray logits = manager.create(Z, new Shape(2, 3));
            float[] right = ProbabilisticMargin.of(logits, manager.create(new long[] {1, 2})).toFloatArray();
            // A, y = 1: max(1/4, 1/4) − 1/2;  B, y = 2: max(1/7, 2/7) − 4/7
            assertEquals(-0.25, right[0], 1e-6);
            assertEquals(-2.0 / 7, right[1], 1e-6);
            float[] wrong = ProbabilisticMargin.of(logits, manager.create(new long[] {0, 0})).toFloatArray();
            assertEquals(0.25, wrong[0], 1e-6);
            assertEquals(3.0 / 7, wrong[1], 1e-6);
        }
    }
}
