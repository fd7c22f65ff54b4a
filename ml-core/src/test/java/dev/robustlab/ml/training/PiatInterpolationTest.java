package dev.robustlab.ml.training;

import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.ml.TestSpecs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PIAT's interpolation is exact: a run with PIAT and a run without it start from the same parameters θ₀ and train
 * the same epoch (same seed) to θ̃₁; after it, the PIAT run holds α₀·θ₀ + (1 − α₀)·θ̃₁ elementwise.
 */
class PiatInterpolationTest {

    @Test
    void parametersAfterAnEpochAreTheInterpolationOfStartAndTrainedWeights() {
        try (TrainingRun plain = TrainingRun.start(TestSpecs.small(false, 3));
             TrainingRun piat = TrainingRun.start(TestSpecs.small(true, 3))) {
            List<float[]> start = values(plain);
            List<float[]> piatStart = values(piat);
            for (int i = 0; i < start.size(); i++) {
                assertArrayEqualsExactly(start.get(i), piatStart.get(i), "same initial parameters");
            }

            EpochSummary plainEpoch = plain.trainEpoch();
            EpochSummary piatEpoch = piat.trainEpoch();
            assertNull(plainEpoch.piatAlpha());
            PiatSpec schedule = piat.spec().training().piat();
            double alpha = schedule.alpha(0);
            assertEquals(0.1, alpha, 1e-12);
            assertEquals(alpha, piatEpoch.piatAlpha(), 0.0);
            assertEquals(plainEpoch.trainLoss(), piatEpoch.trainLoss(), 0.0, "the epoch itself is unchanged");

            List<float[]> trained = values(plain);
            List<float[]> interpolated = values(piat);
            int differing = 0;
            for (int p = 0; p < trained.size(); p++) {
                float[] expected = new float[trained.get(p).length];
                for (int i = 0; i < expected.length; i++) {
                    // the engine computes in FLOAT32: θ̃·(1−α), θ₀·α, then their sum
                    expected[i] = trained.get(p)[i] * (float) (1 - alpha) + start.get(p)[i] * (float) alpha;
                    differing += start.get(p)[i] != trained.get(p)[i] ? 1 : 0;
                }
                assertArrayEqualsExactly(expected, interpolated.get(p), "parameter " + p);
            }
            assertTrue(differing > 0, "the epoch changed the parameters");

            assertEquals(schedule.alpha(1), piat.trainEpoch().piatAlpha(), 0.0);
            assertEquals(schedule.alpha(2), piat.trainEpoch().piatAlpha(), 0.0);
        }
    }

    private static List<float[]> values(TrainingRun run) {
        List<float[]> values = new ArrayList<>();
        for (Parameter parameter : run.classifier().parameters()) {
            values.add(parameter.getArray().toFloatArray());
        }
        return values;
    }

    private static void assertArrayEqualsExactly(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + " [" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
