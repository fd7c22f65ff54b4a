package dev.robustlab.ml.attack.autoattack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.ml.attack.Apgd;
import dev.robustlab.ml.attack.Square;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sanity checks fire on the models they are about and stay silent on a normal one. The models are the 4-class
 * linear classifier of {@code AttackLinearTest} (classes 0 and 1 compete, the l∞ distance to the boundary is
 * |m|/3.5), alone or behind/in front of a layer that spoils it: a softmax, noise, a zero input, a rounding of the
 * input (zero gradients everywhere, so white-box attacks are blind and Square is not).
 */
class SanityChecksTest {
    private static final float[] W = {0.5f, 0.3f, -0.2f, 2.5f, -0.7f, 0.3f, 1.5f, -0.2f, 0.05f, 1.5f, -0.2f, 0.05f};
    private static final float[] B = {0.375f, -0.375f, -1f, -1f};
    private static final double EPSILON = 0.1;
    private static final int N = 60;

    @Test
    void aNormalModelRaisesNoWarning() {
        AutoAttackReport report = evaluate(null, null, AutoAttack.CUSTOM);
        assertEquals(List.of(), report.warnings());
        assertTrue(report.robustAccuracy() < report.cleanAccuracy(), "the attacks broke something");
    }

    @Test
    void probabilitiesInsteadOfLogitsAreReported() {
        AutoAttackReport report = evaluate(null, inputs -> new NDList(inputs.singletonOrThrow().softmax(1)),
                AutoAttack.CUSTOM);
        assertTrue(has(report, "probabilities"), report.warnings().toString());
        assertFalse(has(report, "randomised"), report.warnings().toString());
    }

    @Test
    void aRandomisedModelIsReportedExceptInTheRandVersion() {
        Random noise = new Random(3);
        Function<NDList, NDList> noisy = inputs -> {
            NDArray logits = inputs.singletonOrThrow();
            float[] values = new float[Math.toIntExact(logits.size())];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) (0.05 * noise.nextGaussian());
            }
            return new NDList(logits.add(logits.getManager().create(values, logits.getShape())));
        };
        AutoAttackReport report = evaluate(null, noisy, AutoAttack.CUSTOM);
        assertTrue(has(report, "randomised"), report.warnings().toString());
        AutoAttackReport rand = evaluate(null, noisy, AutoAttack.RAND);
        assertFalse(has(rand, "randomised"), "rand expects a randomised model: " + rand.warnings());
        assertEquals(List.of(), rand.skipped(), "rand has every component it needs");
        assertTrue(rand.robustAccuracy() < rand.cleanAccuracy(), "APGD with EOT breaks points of the noisy model");
    }

    @Test
    void zeroGradientsAreReported() {
        AutoAttackReport report = evaluate(inputs -> new NDList(inputs.singletonOrThrow().mul(0).add(0.5f)), null,
                AutoAttack.CUSTOM);
        assertTrue(has(report, "zero gradient"), report.warnings().toString());
        assertTrue(report.warnings().get(0).startsWith(N + " of " + N), report.warnings().toString());
    }

    @Test
    void squareBeatingTheWhiteBoxAttacksIsReported() {
        // rounding to 1/64 keeps the model nearly linear but kills its gradient: APGD only has its random start
        AutoAttackReport report = evaluate(inputs -> new NDList(inputs.singletonOrThrow().mul(64).round().div(64)),
                null, AutoAttack.CUSTOM);
        assertTrue(has(report, "possible gradient masking"), report.warnings().toString());
        assertTrue(has(report, "zero gradient"), report.warnings().toString());
    }

    @Test
    void squareCheckNeedsAWhiteBoxAttackBeforeSquare() {
        List<AutoAttackReport.Step> squareFirst = List.of(new AutoAttackReport.Step("square", false, 100, 30, 70),
                new AutoAttackReport.Step("apgd-ce", false, 70, 0, 70));
        assertTrue(SanityChecks.squareBeatWhiteBox(squareFirst, 100, "square", 0.002).isEmpty());
        List<AutoAttackReport.Step> skippedBefore = List.of(new AutoAttackReport.Step("fab-t", true, 0, 0, 100),
                new AutoAttackReport.Step("square", false, 100, 30, 70));
        assertTrue(SanityChecks.squareBeatWhiteBox(skippedBefore, 100, "square", 0.002).isEmpty());
        List<AutoAttackReport.Step> withinTolerance = List.of(new AutoAttackReport.Step("apgd-ce", false, 1000, 300,
                700), new AutoAttackReport.Step("square", false, 700, 2, 698));
        assertTrue(SanityChecks.squareBeatWhiteBox(withinTolerance, 1000, "square", 0.002).isEmpty());
        List<AutoAttackReport.Step> beyond = List.of(new AutoAttackReport.Step("apgd-ce", false, 1000, 300, 700),
                new AutoAttackReport.Step("square", false, 700, 3, 697));
        assertTrue(SanityChecks.squareBeatWhiteBox(beyond, 1000, "square", 0.002).isPresent());
    }

    private static boolean has(AutoAttackReport report, String text) {
        return report.warnings().stream().anyMatch(w -> w.contains(text));
    }

    /** APGD-CE then Square (or the rand version) on points of [0.3, 0.7]³ of both classes, some near the boundary. */
    private static AutoAttackReport evaluate(Function<NDList, NDList> before, Function<NDList, NDList> after,
                                             String version) {
        AutoAttack.Builder builder = AutoAttack.builder().setEpsilon(EPSILON);
        if (AutoAttack.CUSTOM.equals(version)) {
            builder.addAttack(Apgd.builder().setEpsilon(EPSILON).optSteps(25).build())
                    .addAttack(Square.builder().setEpsilon(EPSILON).optQueries(200).build());
        } else {
            builder.optVersion(version).optIterations(5);
        }
        AutoAttack autoAttack = builder.build();
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = model(manager, before == null ? null : new LambdaBlock(before),
                     after == null ? null : new LambdaBlock(after))) {
            SplittableRandom random = Seeds.stream(8, "points");
            float[] x = new float[N * 3];
            long[] y = new long[N];
            for (int i = 0; i < N; i++) {
                double margin = 0;
                for (int j = 0; j < 3; j++) {
                    x[i * 3 + j] = (float) (0.3 + 0.4 * random.nextDouble());
                }
                margin = 2 * x[i * 3] - x[i * 3 + 1] + 0.5 * x[i * 3 + 2] - 0.75;
                y[i] = margin > 0 ? 1 : 0;
            }
            return autoAttack.evaluate(model, manager.create(x, new Shape(N, 3)), manager.create(y),
                    Seeds.stream(9, "aa")).report();
        }
    }

    private static Classifier model(NDManager parent, Block before, Block after) {
        Linear linear = Linear.builder().setUnits(4).build();
        linear.setInitializer(fixed(W), Parameter.Type.WEIGHT);
        linear.setInitializer(fixed(B), Parameter.Type.BIAS);
        SequentialBlock block = new SequentialBlock();
        if (before != null) {
            block.add(before);
        }
        block.add(linear);
        if (after != null) {
            block.add(after);
        }
        NDManager manager = parent.newSubManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        return Classifier.of(block, manager, "linear", new Shape(3), 4);
    }

    private static Initializer fixed(float[] values) {
        return (NDManager manager, Shape shape, DataType type) -> manager.create(values, shape);
    }
}
