package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.loss.KlDivergence;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.FanInUniformInitializer;
import dev.robustlab.ml.model.Models;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the objectives prepare: (x, x') with x' in B_ε(x) ∩ [0,1]^d for the CE-PGD objectives and TRADES's KL
 * attack, in l∞ and l2, on inputs that touch the box's faces; TRADES's attack raises the KL far above its start
 * and above a random point of the ball, keeps each row in its own ball with a radius per example (CFA), draws its
 * start from the given stream, and leaves BatchNorm's running statistics alone (inference mode) while the training
 * loss updates them.
 */
class ObjectivePrepareTest {
    private static final List<String> METHODS = List.of(TrainingMethods.ALP, TrainingMethods.TRADES,
            TrainingMethods.MART, TrainingMethods.MAIL_AT, TrainingMethods.MAIL_TRADES, TrainingMethods.MAIL_MART,
            TrainingMethods.NMSE);
    private static final int BATCH = 16;
    private static final int FEATURES = 6;

    @Test
    void adversarialExamplesStayInTheBallAndTheBox() {
        ThreatModel linf = new ThreatModel("linf", 0.1, 0.03, 5);
        ThreatModel l2 = new ThreatModel("l2", 0.5, 0.2, 5);
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(3L, manager)) {
            NDArray x = inputs(manager, 1L);
            NDArray labels = labels(manager, 1L);
            for (String method : METHODS) {
                for (ThreatModel threat : List.of(linf, l2)) {
                    TrainingObjective objective = Objectives.create(method, Map.of(), threat);
                    NDList prepared = objective.prepare(model, x, labels, Seeds.stream(5, method));
                    String name = method + " " + threat.norm();
                    assertEquals(2, prepared.size(), name);
                    assertSame(x, prepared.get(0), name + ": the clean batch is passed on");
                    NDArray adversarial = prepared.get(1);
                    assertEquals(x.getShape(), adversarial.getShape(), name);
                    assertFalse(adversarial.hasGradient(), name);
                    assertInBallAndBox(x, adversarial, threat, name);
                    adversarial.close();
                }
            }
        }
    }

    @Test
    void tradesAttackRaisesTheKlAboveItsStartAndAboveRandomNoise() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(4L, manager)) {
            NDArray x = inputs(manager, 2L);
            NDArray labels = labels(manager, 2L);
            TradesAttack attack = TradesAttack.builder().setEpsilon(0.1).setStepSize(0.025).optSteps(10).build();
            TradesAttack startOnly = TradesAttack.builder().setEpsilon(0.1).setStepSize(0.025).optSteps(0).build();
            Pgd randomPoint = Pgd.builder().setEpsilon(0.1).setStepSize(0.025).optSteps(0).build();
            double attacked = meanKl(model, x, attack.perturb(model, x, labels, Seeds.stream(1, "kl")));
            double start = meanKl(model, x, startOnly.perturb(model, x, labels, Seeds.stream(1, "kl")));
            double random = meanKl(model, x, randomPoint.perturb(model, x, labels, Seeds.stream(1, "kl")));
            assertTrue(start > 0 && start < 1e-4, "the start x + 0.001·N is close to x: KL " + start);
            assertTrue(attacked > 100 * start, "KL " + attacked + " after the attack, " + start + " at its start");
            assertTrue(attacked > 2 * random, "KL " + attacked + " after the attack, " + random + " at random");
        }
    }

    @Test
    void tradesAttackWithARadiusPerExampleKeepsEachRowInItsBall() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(4L, manager)) {
            NDArray x = inputs(manager, 5L);
            NDArray labels = labels(manager, 5L);
            TradesAttack attack = TradesAttack.builder().setEpsilon(0.1).setStepSize(0.025).optSteps(5).build();
            float[] same = new float[BATCH];
            Arrays.fill(same, 0.1f);
            assertArrayEquals(attack.perturb(model, x, labels, Seeds.stream(3, "kl")).toFloatArray(),
                    attack.perturb(model, x, labels, same, Seeds.stream(3, "kl")).toFloatArray(), 1e-7f,
                    "ε for every example is the attack in B_ε");
            float[] radius = new float[BATCH];
            for (int i = 0; i < BATCH; i++) {
                radius[i] = i % 2 == 0 ? 0.02f : 0.2f;
            }
            float[] clean = x.toFloatArray();
            float[] moved = attack.perturb(model, x, labels, radius, Seeds.stream(3, "kl")).toFloatArray();
            for (int i = 0; i < BATCH; i++) {
                double largest = 0;
                for (int j = 0; j < FEATURES; j++) {
                    float v = moved[i * FEATURES + j];
                    assertTrue(v >= 0 && v <= 1, "x' outside [0,1]: " + v);
                    largest = Math.max(largest, Math.abs(v - clean[i * FEATURES + j]));
                }
                assertTrue(largest <= radius[i] + 1e-6 && largest >= 0.5 * radius[i],
                        "row " + i + ": ‖x' − x‖∞ = " + largest + " in a ball of radius " + radius[i]);
            }
        }
    }

    @Test
    void tradesStartComesFromTheGivenStream() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(4L, manager)) {
            NDArray x = inputs(manager, 3L);
            NDArray labels = labels(manager, 3L);
            TrainingObjective trades = Objectives.create(TrainingMethods.TRADES, Map.of(),
                    new ThreatModel("linf", 0.1, 0.025, 3));
            float[] first = trades.prepare(model, x, labels, Seeds.stream(9, "a")).get(1).toFloatArray();
            float[] again = trades.prepare(model, x, labels, Seeds.stream(9, "a")).get(1).toFloatArray();
            float[] other = trades.prepare(model, x, labels, Seeds.stream(9, "b")).get(1).toFloatArray();
            assertArrayEquals(first, again, "same stream, same x'");
            assertFalse(java.util.Arrays.equals(first, other), "another stream, another start");
        }
    }

    @Test
    void attacksRunInInferenceModeAndTheLossInTrainingMode() {
        ThreatModel threat = new ThreatModel("linf", 0.1, 0.025, 3);
        try (NDManager manager = MlEngine.newBaseManager()) {
            for (String method : List.of(TrainingMethods.TRADES, TrainingMethods.ALP)) {
                try (NDManager scope = manager.newSubManager();
                     Classifier model = batchNormModel(scope)) {
                    NDArray x = inputs(scope, 4L);
                    NDArray labels = labels(scope, 4L);
                    TrainingObjective objective = Objectives.create(method, Map.of(), threat);
                    float[] before = runningStatistics(model);
                    NDList prepared = objective.prepare(model, x, labels, Seeds.stream(2, method));
                    assertArrayEquals(before, runningStatistics(model), method + ": the attack left them unchanged");
                    try (GradientScope gradients = GradientScope.open()) {
                        gradients.backward(objective.loss(model, prepared, labels).loss());
                    }
                    assertFalse(java.util.Arrays.equals(before, runningStatistics(model)),
                            method + ": the training forward updates them");
                }
            }
        }
    }

    private static void assertInBallAndBox(NDArray x, NDArray adversarial, ThreatModel threat, String name) {
        float[] clean = x.toFloatArray();
        float[] moved = adversarial.toFloatArray();
        double epsilon = threat.epsilon();
        double largest = 0;
        for (int i = 0; i < BATCH; i++) {
            double l2 = 0;
            double linf = 0;
            for (int j = 0; j < FEATURES; j++) {
                float v = moved[i * FEATURES + j];
                assertTrue(v >= 0 && v <= 1, name + ": x' outside [0,1]: " + v);
                double d = v - clean[i * FEATURES + j];
                l2 += d * d;
                linf = Math.max(linf, Math.abs(d));
            }
            double length = "l2".equals(threat.norm()) ? Math.sqrt(l2) : linf;
            assertTrue(length <= epsilon * (1 + 1e-5), name + ": ‖x' − x‖ = " + length + " > ε = " + epsilon);
            largest = Math.max(largest, length);
        }
        assertTrue(largest >= 0.5 * epsilon, name + ": the attack hardly moved: largest ‖x' − x‖ " + largest);
    }

    private static double meanKl(Classifier model, NDArray x, NDArray adversarial) {
        try (NDManager scope = x.getManager().newSubManager()) {
            scope.tempAttachAll(x, adversarial);
            return KlDivergence.batchMean(model.logits(x, false), model.logits(adversarial, false)).getFloat();
        }
    }

    /** U(0,1) inputs with every fourth value at a face of the box (0 or 1). */
    /** The 16-unit MLP on FEATURES inputs and 3 classes, initialised from {@code seed}. */
    private static Classifier mlp(long seed, NDManager manager) {
        return Models.create(new ModelSpec(ModelSpec.MLP, 16), new Shape(FEATURES), 3, seed, manager);
    }

    private static NDArray inputs(NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[BATCH * FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 4 == 0 ? (i % 8 == 0 ? 0f : 1f) : (float) random.nextDouble();
        }
        return manager.create(values, new Shape(BATCH, FEATURES));
    }

    private static NDArray labels(NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed + 100);
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = random.nextInt(3);
        }
        return manager.create(labels);
    }

    /** Linear → BatchNorm → tanh → Linear, deterministic weights. */
    private static Classifier batchNormModel(NDManager parent) {
        SplittableRandom random = new SplittableRandom(8);
        Linear first = Linear.builder().setUnits(8).build();
        first.setInitializer(new FanInUniformInitializer(random, FEATURES), p -> true);
        Linear last = Linear.builder().setUnits(3).build();
        last.setInitializer(new FanInUniformInitializer(random, 8), p -> true);
        SequentialBlock block = new SequentialBlock().add(first).add(BatchNorm.builder().build())
                .add(Activation.tanhBlock()).add(last);
        NDManager manager = parent.newSubManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, FEATURES));
        return Classifier.of(block, manager, "batch-norm-mlp", new Shape(FEATURES), 3);
    }

    private static float[] runningStatistics(Classifier model) {
        float[] mean = null;
        float[] variance = null;
        for (Parameter parameter : model.parameters()) {
            if (parameter.getType() == Parameter.Type.RUNNING_MEAN) {
                mean = parameter.getArray().toFloatArray();
            } else if (parameter.getType() == Parameter.Type.RUNNING_VAR) {
                variance = parameter.getArray().toFloatArray();
            }
        }
        assertTrue(mean != null && variance != null, "the model has running statistics");
        float[] both = new float[mean.length + variance.length];
        System.arraycopy(mean, 0, both, 0, mean.length);
        System.arraycopy(variance, 0, both, mean.length, variance.length);
        return both;
    }
}
