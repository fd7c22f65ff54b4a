package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.training.perturbation.PerturbedWeights;
import dev.robustlab.ml.training.perturbation.WeightPerturbation;
import dev.robustlab.ml.training.perturbation.WeightPerturbationConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Squeeze Training's losses and generation, CFA's attack and loss, AWP and RWP against PyTorch
 * ({@code training/objectives_reference.py}) on a tiny model with BatchNorm: run now when /usr/bin/python3 has
 * torch, else the values it wrote into the checked-in objectives-expected.txt.
 */
class ObjectivesPythonTest {
    @TempDir
    static Path scratch;
    private static ObjectivesFixture fixture;

    @BeforeAll
    static void load() {
        fixture = ObjectivesFixture.load(scratch);
        System.out.println("objective reference values: " + fixture.source());
    }

    @Test
    void theCheckedInValuesAreWhatTheScriptComputesHere() {
        assumeTrue(fixture.fromPython(), "no python3 with torch: the tests below use the checked-in values");
        ObjectivesFixture checkedIn = ObjectivesFixture.checkedIn();
        assertEquals(fixture.names(), checkedIn.names());
        for (String name : fixture.names()) {
            assertClose(checkedIn.get(name), fixture.get(name), 1e-6, name);
        }
    }

    @Test
    void squeezeTrainingLossesAndGradientsMatchPyTorch() {
        for (var regularizer : SqueezeTrainingObjective.Regularizer.values()) {
            String suffix = switch (regularizer) {
                case SYMMETRIC_KL -> "kl";
                case JENSEN_SHANNON -> "js";
                case SQUARED_L2 -> "l2";
            };
            try (NDManager manager = MlEngine.newBaseManager(); Classifier model = fixture.model(manager)) {
                SqueezeTrainingObjective st = new SqueezeTrainingObjective(regularizer, fixture.scalar("st_beta"),
                        0.1, 0.03, 3);
                NDList prepared = new NDList(fixture.x(manager, "x"), fixture.x(manager, "x_col"),
                        fixture.x(manager, "x_adv"));
                NDArray labels = fixture.labels(manager);
                float loss;
                try (GradientScope gradients = GradientScope.open()) {
                    TrainingObjective.Value value = st.loss(model, prepared, labels);
                    gradients.backward(value.loss());
                    loss = value.loss().getFloat();
                }
                assertEquals(fixture.scalar("st_loss_" + suffix), loss, 2e-6, regularizer + " loss");
                float[] gradient = ObjectivesFixture.parameter(model, "w0").getArray().getGradient().toFloatArray();
                assertClose(fixture.get("st_grad_w0_" + suffix), gradient, 2e-6, regularizer + " ∂L/∂w0");
                if (regularizer == SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL) {
                    // x_col's forward left them alone; x, then x_adv updated them (PyTorch momentum 1 − 0.9f)
                    assertClose(fixture.get("st_running_mean_after"),
                            ObjectivesFixture.parameter(model, "running_mean").getArray().toFloatArray(), 1e-6,
                            "running mean after the loss");
                    assertClose(fixture.get("st_running_var_after"),
                            ObjectivesFixture.parameter(model, "running_var").getArray().toFloatArray(), 1e-6,
                            "running variance after the loss");
                }
            }
        }
    }

    @Test
    void squeezeTrainingGenerationMatchesPyTorchWithBatchStatisticsAndLeavesRunningStatisticsAlone() {
        try (NDManager manager = MlEngine.newBaseManager(); Classifier model = fixture.model(manager)) {
            NDArray x = fixture.x(manager, "x");
            float[] batchMode = model.logits(x, true).toFloatArray();
            float[] inferenceMode = model.logits(x, false).toFloatArray();
            assertTrue(maxDifference(batchMode, inferenceMode) > 1e-2,
                    "the fixture's running statistics are far from the batch's, so the modes differ");
            float[] meanBefore = ObjectivesFixture.parameter(model, "running_mean").getArray().toFloatArray();
            float[] varianceBefore = ObjectivesFixture.parameter(model, "running_var").getArray().toFloatArray();
            // the training-mode forward above updated them: that is the state the generation must keep
            SqueezeTrainingObjective st = new SqueezeTrainingObjective(
                    SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL, 6, 0.1, 0.03, (int) fixture.scalar("steps"));
            NDList generated = st.generate(model, x, fixture.labels(manager), fixture.x(manager, "adv_start"),
                    fixture.x(manager, "col_start"));
            assertClose(fixture.get("stgen_x_col"), generated.get(1).toFloatArray(), 1e-6, "x_col");
            assertClose(fixture.get("stgen_x_adv"), generated.get(2).toFloatArray(), 1e-6, "x_adv");
            assertBitIdentical(meanBefore,
                    ObjectivesFixture.parameter(model, "running_mean").getArray().toFloatArray(), "running mean");
            assertBitIdentical(varianceBefore,
                    ObjectivesFixture.parameter(model, "running_var").getArray().toFloatArray(), "running variance");
        }
    }

    @Test
    void cfaAttackAndLossMatchPyTorch() {
        try (NDManager manager = MlEngine.newBaseManager(); Classifier model = fixture.model(manager)) {
            CfaObjective cfa = calibratedCfa();
            NDArray x = fixture.x(manager, "x");
            NDArray labels = fixture.labels(manager);
            long[] y = labels.toLongArray();
            float[] radius = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                radius[i] = (float) cfa.classEpsilon((int) y[i]);
            }
            TradesAttack attack = TradesAttack.builder().setEpsilon(fixture.scalar("eps")).setStepSize(0.03)
                    .optSteps(3).build();
            NDArray adversarial = attack.perturbFrom(model, x, fixture.x(manager, "adv_start"), labels, radius);
            assertClose(fixture.get("cfa_x_adv"), adversarial.toFloatArray(), 1e-6, "x' of the class-wise attack");

            NDList prepared = new NDList(x, fixture.x(manager, "x_adv"));
            try (GradientScope gradients = GradientScope.open()) {
                TrainingObjective.Value value = cfa.loss(model, prepared, labels);
                gradients.backward(value.loss());
                assertEquals(fixture.scalar("cfa_loss"), value.loss().getFloat(), 1e-6, "CFA loss");
            }
            assertClose(fixture.get("cfa_grad_w0"),
                    ObjectivesFixture.parameter(model, "w0").getArray().getGradient().toFloatArray(), 1e-6,
                    "CFA ∂L/∂w0");
        }
    }

    @Test
    void awpAndRwpFindPyTorchsPerturbation() {
        double gamma = fixture.scalar("awp_gamma");
        PgdAtObjective pgdAt = new PgdAtObjective(Pgd.builder().setEpsilon(0.1).setStepSize(0.03).build());
        checkPerturbation(pgdAt, false, WeightPerturbationConfig.of("awp", gamma, null, null), "awp");
        checkPerturbation(pgdAt, false,
                WeightPerturbationConfig.of("rwp", gamma, 10, fixture.scalar("rwp_threshold")), "rwp");
        checkPerturbation(calibratedCfa(), true,
                WeightPerturbationConfig.of("rwp", gamma, 10, fixture.scalar("rwp_cfa_threshold")), "rwp_cfa");
    }

    private void checkPerturbation(TrainingObjective objective, boolean withClean, WeightPerturbationConfig config,
                                   String item) {
        try (NDManager manager = MlEngine.newBaseManager(); Classifier model = fixture.model(manager)) {
            NDArray xAdv = fixture.x(manager, "x_adv");
            NDList prepared = withClean ? new NDList(fixture.x(manager, "x"), xAdv) : new NDList(xAdv);
            float[] w0 = ObjectivesFixture.parameter(model, "w0").getArray().toFloatArray();
            try (PerturbedWeights perturbed = new WeightPerturbation(config).perturb(model, objective, prepared,
                    fixture.labels(manager))) {
                List<NDArray> v = perturbed.perturbations();
                assertEquals(2, v.size(), "w0 and w3 are perturbed, nothing else");
                assertClose(fixture.get(item + "_v0"), v.get(0).toFloatArray(), 2e-7, item + " v of w0");
                assertClose(fixture.get(item + "_v3"), v.get(1).toFloatArray(), 2e-7, item + " v of w3");
                float[] moved = ObjectivesFixture.parameter(model, "w0").getArray().toFloatArray();
                assertFalse(java.util.Arrays.equals(w0, moved), "the weights are at w + v while perturbed");
            }
            assertBitIdentical(w0, ObjectivesFixture.parameter(model, "w0").getArray().toFloatArray(), "w0 restored");
        }
    }

    /** CFA with r = fixture's cfa_r from an ended epoch 1 and start_epoch 0 (no averaging: threshold 1). */
    private static CfaObjective calibratedCfa() {
        CfaObjective cfa = CfaObjective.builder().setEpsilon(fixture.scalar("eps")).setStepSize(0.03).setSteps(3)
                .optBeta(fixture.scalar("st_beta")).optLambda1(fixture.scalar("cfa_lambda1"))
                .optLambda2(fixture.scalar("cfa_lambda2")).optStartEpoch(0).optThreshold(1).build();
        float[] r = fixture.get("cfa_r");
        long[] correct = new long[r.length];
        long[] examples = new long[r.length];
        for (int k = 0; k < r.length; k++) {
            examples[k] = 10;
            correct[k] = Math.round(r[k] * 10);
        }
        cfa.epochEnded(new EpochContext(1, null, correct, examples));
        return cfa;
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double difference = maxDifference(expected, actual);
        assertTrue(difference <= tolerance, what + " differs by " + difference + " (tolerance " + tolerance + ")");
    }

    static void assertBitIdentical(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int[] expectedBits = new int[expected.length];
        int[] actualBits = new int[actual.length];
        for (int i = 0; i < expected.length; i++) {
            expectedBits[i] = Float.floatToRawIntBits(expected[i]);
            actualBits[i] = Float.floatToRawIntBits(actual[i]);
        }
        assertArrayEquals(expectedBits, actualBits, what + " bit for bit");
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
