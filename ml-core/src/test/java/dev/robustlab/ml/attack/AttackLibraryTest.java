package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants every attack of the library keeps on a small 4-class MLP: points in B_ε(x) ∩ [0,1]^d, success flags
 * that agree with the model, repeatable results for a seed, the model left as it was, and no arrays left behind.
 */
class AttackLibraryTest {
    private static final int N = 64;
    private static final int FEATURES = 3;
    private static final int CLASSES = 4;

    private static List<Attack> attacks(Norm norm, double epsilon) {
        List<Attack> attacks = new ArrayList<>();
        if (norm == Norm.LINF) {
            attacks.add(Fgsm.builder().setEpsilon(epsilon).build());
            attacks.add(IFgsm.builder().setEpsilon(epsilon).optSteps(5).build());
            attacks.add(MiFgsm.builder().setEpsilon(epsilon).optSteps(5).build());
        }
        attacks.add(Pgd.builder().setEpsilon(epsilon).setStepSize(epsilon / 3).optSteps(5).optNorm(norm)
                .optRestarts(2).build());
        attacks.add(Apgd.builder().setEpsilon(epsilon).optNorm(norm).optSteps(12).optRestarts(2).build());
        attacks.add(Apgd.builder().setEpsilon(epsilon).optNorm(norm).optSteps(12).optDlr().build());
        attacks.add(ApgdTargeted.builder().setEpsilon(epsilon).optNorm(norm).optSteps(12).optTargets(3).build());
        attacks.add(Square.builder().setEpsilon(epsilon).optNorm(norm).optQueries(40).optRestarts(2).build());
        attacks.add(Fab.builder().setEpsilon(epsilon).optNorm(norm).optSteps(10).optRestarts(2).build());
        attacks.add(Fab.builder().setEpsilon(epsilon).optNorm(norm).optSteps(10).optTargeted(true).optTargets(3)
                .optRestarts(2).build());
        if (norm == Norm.L2) {
            attacks.add(CwL2.builder().setEpsilon(epsilon).optBinarySteps(4).optSteps(20).build());
        }
        return attacks;
    }

    @Test
    void pointsStayInsideTheBallAndTheBoxAndFlagsAgreeWithTheModel() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(manager)) {
            float[] x = inputs();
            for (Norm norm : Norm.values()) {
                for (double epsilon : new double[] {0.05, 0.3}) {
                    for (Attack attack : attacks(norm, epsilon)) {
                        NDArray xs = manager.create(x, new Shape(N, FEATURES));
                        NDArray ys = manager.create(labels());
                        AttackResult result = attack.run(model, xs, ys, Seeds.stream(3, attack.id()));
                        assertEquals(new Shape(N, FEATURES), result.adversarial().getShape());
                        assertEquals(xs.getManager(), result.adversarial().getManager(), "in the inputs' manager");
                        float[] adversarial = result.adversarial().toFloatArray();
                        boolean[] wrong = Batches.misclassified(model, result.adversarial(), ys);
                        double largest = 0;
                        for (int i = 0; i < N; i++) {
                            String what = attack.id() + " " + norm.id() + " ε=" + epsilon + " example " + i;
                            assertEquals(wrong[i], result.success()[i], what + ": flag agrees with the model");
                            double size = 0;
                            for (int j = i * FEATURES; j < (i + 1) * FEATURES; j++) {
                                assertTrue(adversarial[j] >= 0f && adversarial[j] <= 1f, what + ": in [0,1]");
                                double d = Math.abs(adversarial[j] - x[j]);
                                size = norm == Norm.LINF ? Math.max(size, d) : size + d * d;
                            }
                            size = norm == Norm.LINF ? size : Math.sqrt(size);
                            assertTrue(size <= epsilon + 1e-6, what + ": in the ε-ball, ‖δ‖ = " + size);
                            largest = Math.max(largest, size);
                        }
                        // minimum-norm attacks return the closest adversarial, not a point near the sphere (how
                        // close they get is MinimumNormTest's)
                        boolean minimumNorm = attack instanceof Fab || attack instanceof CwL2;
                        assertTrue(minimumNorm || largest > epsilon / 2, attack.id() + ": the attack moved the inputs");
                    }
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(manager)) {
            NDArray xs = manager.create(inputs(), new Shape(N, FEATURES));
            NDArray ys = manager.create(labels());
            for (Norm norm : Norm.values()) {
                for (Attack attack : attacks(norm, 0.2)) {
                    AttackResult first = attack.run(model, xs, ys, Seeds.stream(17, "repeat"));
                    AttackResult second = attack.run(model, xs, ys, Seeds.stream(17, "repeat"));
                    assertArrayEquals(first.success(), second.success(), attack.id());
                    assertArrayEquals(first.adversarial().toFloatArray(), second.adversarial().toFloatArray(),
                            attack.id());
                    assertArrayEquals(first.adversarial().toFloatArray(),
                            attack.perturb(model, xs, ys, Seeds.stream(17, "repeat")).toFloatArray(),
                            attack.id() + ": perturb returns run's points");
                }
            }
        }
    }

    @Test
    void leavesTheModelAsItWas() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(manager)) {
            List<float[]> before = new ArrayList<>();
            for (Parameter parameter : model.parameters()) {
                before.add(parameter.getArray().toFloatArray());
            }
            NDArray xs = manager.create(inputs(), new Shape(N, FEATURES));
            NDArray ys = manager.create(labels());
            for (Attack attack : attacks(Norm.LINF, 0.2)) {
                attack.run(model, xs, ys, Seeds.stream(1, "model"));
            }
            int k = 0;
            for (Parameter parameter : model.parameters()) {
                assertArrayEquals(before.get(k++), parameter.getArray().toFloatArray(), parameter.getName());
                assertTrue(parameter.requiresGradient(), parameter.getName() + " is trainable again");
                if (parameter.getArray().hasGradient()) {
                    try (NDArray gradient = parameter.getArray().getGradient()) {
                        assertEquals(0f, gradient.abs().sum().getFloat(), "no gradient leaked into " + parameter);
                    }
                }
            }
        }
    }

    @Test
    void manyCallsLeaveNoArraysBehind() {
        int systemBefore = systemArrays();
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = mlp(manager)) {
            NDArray xs = manager.create(inputs(), new Shape(N, FEATURES));
            NDArray ys = manager.create(labels());
            SplittableRandom random = Seeds.stream(2, "leak");
            List<Attack> all = new ArrayList<>(attacks(Norm.LINF, 0.2));
            all.addAll(attacks(Norm.L2, 0.2));
            // one warm-up round creates whatever the engine keeps (parameter gradients)
            for (Attack attack : all) {
                attack.run(model, xs, ys, random).adversarial().close();
            }
            int before = manager.getManagedArrays().size();
            int systemWarm = systemArrays();
            for (int round = 0; round < 5; round++) {
                for (Attack attack : all) {
                    attack.run(model, xs, ys, random).adversarial().close();
                    attack.perturb(model, xs, ys, random).close();
                }
            }
            assertEquals(before, manager.getManagedArrays().size(), "live arrays of the caller's manager");
            assertEquals(systemWarm, systemArrays(), "live arrays of the process");
        }
        assertEquals(systemBefore, systemArrays(), "live arrays of the process after closing");
    }

    @Test
    void targetedApgdNeedsFourClasses() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(FEATURES), 3, 4L,
                     manager)) {
            NDArray xs = manager.create(inputs(), new Shape(N, FEATURES));
            NDArray ys = manager.create(new long[N]);
            Attack attack = ApgdTargeted.builder().setEpsilon(0.1).build();
            int before = manager.getManagedArrays().size();
            assertThrows(IllegalArgumentException.class, () -> attack.run(model, xs, ys, Seeds.stream(1, "t")));
            assertEquals(before, manager.getManagedArrays().size(), "a refused run leaves no arrays behind");
            for (Parameter parameter : model.parameters()) {
                assertTrue(parameter.requiresGradient(), parameter.getName() + " is trainable again");
            }
        }
    }

    @Test
    void buildersRefuseBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Fgsm.builder().setEpsilon(0).build());
        assertThrows(IllegalArgumentException.class, () -> IFgsm.builder().setEpsilon(0.1).optSteps(0).build());
        assertThrows(IllegalArgumentException.class, () -> MiFgsm.builder().setEpsilon(0.1).optDecay(-1).build());
        assertThrows(IllegalArgumentException.class, () -> Pgd.builder().setEpsilon(0.1).setStepSize(0.1)
                .optRestarts(0).build());
        assertThrows(IllegalArgumentException.class, () -> Apgd.builder().setEpsilon(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> Apgd.builder().setEpsilon(0.1).optRho(1).build());
        assertThrows(IllegalArgumentException.class, () -> Apgd.builder().setEpsilon(0.1).optEot(0).build());
        assertThrows(IllegalArgumentException.class, () -> Square.builder().setEpsilon(0.1).optQueries(0).build());
        assertThrows(IllegalArgumentException.class, () -> Square.builder().setEpsilon(0.1).optPInit(0).build());
        assertEquals("square", Square.builder().setEpsilon(0.1).build().id());
        assertThrows(IllegalArgumentException.class, () -> ApgdTargeted.builder().setEpsilon(0.1).optTargets(0)
                .build());
        assertThrows(IllegalArgumentException.class, () -> Fab.builder().setEpsilon(0.1).optEta(0.9).build());
        assertThrows(IllegalArgumentException.class, () -> Fab.builder().setEpsilon(0.1).optBeta(0).build());
        assertThrows(IllegalArgumentException.class, () -> Fab.builder().setEpsilon(0.1).optAlphaMax(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> Fab.builder().setEpsilon(0.1).optTargets(0).build());
        assertThrows(IllegalArgumentException.class, () -> Fab.builder().setEpsilon(1.5).build());
        assertEquals("fab", Fab.builder().setEpsilon(0.1).build().id());
        assertEquals("fab-t", Fab.builder().setEpsilon(0.1).optTargeted(true).build().id());
        assertThrows(IllegalArgumentException.class, () -> CwL2.builder().build());
        assertThrows(IllegalArgumentException.class, () -> CwL2.builder().setEpsilon(0.5).optBinarySteps(0).build());
        assertThrows(IllegalArgumentException.class, () -> CwL2.builder().setEpsilon(0.5).optConfidence(-1)
                .build());
        assertThrows(IllegalArgumentException.class, () -> CwL2.builder().setEpsilon(0.5).optLearningRate(0)
                .build());
        assertEquals("cw-l2", CwL2.builder().setEpsilon(2.5).build().id());
        Apgd.builder().setEpsilon(1.5).optNorm(Norm.L2).build(); // l2 radii may exceed 1
        assertEquals("apgd-ce", Apgd.builder().setEpsilon(0.1).build().id());
        assertEquals("apgd-dlr", Apgd.builder().setEpsilon(0.1).optDlr().build().id());
        assertEquals("apgd-t", ApgdTargeted.builder().setEpsilon(0.1).build().id());
        assertEquals(Norm.L2, Norm.of("l2"));
        assertThrows(IllegalArgumentException.class, () -> Norm.of("l1"));
    }

    private static Classifier mlp(NDManager manager) {
        return Models.create(new ModelSpec(ModelSpec.MLP, 16), new Shape(FEATURES), CLASSES, 5L, manager);
    }

    /** A third of the coordinates on or next to the box edges. */
    private static float[] inputs() {
        SplittableRandom random = Seeds.stream(9, "inputs");
        float[] x = new float[N * FEATURES];
        for (int i = 0; i < x.length; i++) {
            double u = random.nextDouble();
            x[i] = (float) (u < 0.15 ? 0 : u > 0.85 ? 1 : u < 0.3 ? 0.01 : random.nextDouble());
        }
        return x;
    }

    private static long[] labels() {
        SplittableRandom random = Seeds.stream(9, "labels");
        long[] y = new long[N];
        for (int i = 0; i < N; i++) {
            y[i] = random.nextInt(CLASSES);
        }
        return y;
    }

    /** Every live array of the process: the system manager's, its base managers' and their sub-managers'. */
    private static int systemArrays() {
        try (NDManager probe = MlEngine.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
