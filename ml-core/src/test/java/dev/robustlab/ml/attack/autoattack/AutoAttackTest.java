package dev.robustlab.ml.attack.autoattack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.attack.Apgd;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.attack.AttackResult;
import dev.robustlab.ml.attack.ApgdTargeted;
import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.attack.Fab;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.Square;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.evaluation.RobustnessEvaluator;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import dev.robustlab.ml.training.TrainingRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AutoAttack as a composition on a trained toy MLP (2 classes, standard training as in {@code ToyTrainingTest}): its robust
 * accuracy is at most each component's alone, every component receives exactly the points still robust, a seed fixes
 * the flags, the versions say what they skip, and nothing leaks. Deterministic: model, data and attacks are seeded.
 */
class AutoAttackTest {
    private static final double EPSILON = 0.1;
    private static final int POINTS = 300;

    private static TrainingRun run;
    private static LabeledExamples test;

    @BeforeAll
    static void train() {
        // standard training as ToyTrainingTest does it: over 90% clean, far from robust at ε = 0.1
        run = TrainingRun.start(TestSpecs.toy(TrainingSpec.STANDARD, false, 2000, 6, 128, 0.1, 0.05, 10, 64, 0L));
        for (int e = 0; e < 6; e++) {
            run.trainEpoch();
        }
        test = Datasets.testSplit(run.spec().dataset());
    }

    @AfterAll
    static void close() {
        run.close();
    }

    private static List<Attack> components() {
        return List.of(
                Apgd.builder().setEpsilon(EPSILON).optSteps(30).build(),
                Attacks.evaluation("cw-inf", "linf", EPSILON, EPSILON / 4),
                Square.builder().setEpsilon(EPSILON).optQueries(300).build());
    }

    @Test
    void robustAccuracyIsAtMostEveryComponentsAlone() {
        Classifier model = run.classifier();
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDList data = test.batch(manager, 0, POINTS);
            NDArray x = data.get(0);
            NDArray y = data.get(1);
            AutoAttack.Builder builder = AutoAttack.builder().setEpsilon(EPSILON);
            components().forEach(builder::addAttack);
            AutoAttackReport report = builder.build().evaluate(model, x, y, Seeds.stream(1, "aa")).report();

            boolean[] clean = RobustnessEvaluator.correct(model, x, y);
            assertArrayEquals(clean, report.clean());
            int robust = count(report.robust());
            StringBuilder counts = new StringBuilder("autoattack robust " + robust);
            for (Attack attack : components()) {
                AttackResult alone = attack.run(model, x, y, Seeds.stream(1, attack.id()));
                int aloneRobust = 0;
                for (int i = 0; i < POINTS; i++) {
                    aloneRobust += clean[i] && !alone.success()[i] ? 1 : 0;
                }
                counts.append(", ").append(attack.id()).append(" alone ").append(aloneRobust);
                assertTrue(robust <= aloneRobust, counts.toString());
            }
            assertTrue(robust < count(clean), "the attacks have something to find: " + counts);
            for (int i = 0; i < POINTS; i++) {
                assertTrue(clean[i] || !report.robust()[i], "robust implies correct clean");
            }
            double previous = report.cleanAccuracy();
            for (int k = 0; k < report.steps().size(); k++) {
                assertTrue(report.robustAccuracyAfter(k) <= previous, "robust accuracy never rises");
                previous = report.robustAccuracyAfter(k);
            }
            assertEquals(previous, report.robustAccuracy());
            assertTrue(report.warnings().isEmpty(), "a plain MLP raises no warning: " + report.warnings());
        }
    }

    @Test
    void standardRobustAccuracyIsAtMostEachOfItsComponentsAlone() {
        // a 10-class model, so that APGD-T and FAB-T run their 9 targets; labels are its clean predictions
        int n = 120;
        int features = 8;
        double epsilon = 0.05;
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 32), new Shape(features), 10, 3L,
                     manager)) {
            SplittableRandom random = Seeds.stream(8, "inputs");
            float[] inputs = new float[n * features];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = (float) random.nextDouble();
            }
            NDArray x = manager.create(inputs, new Shape(n, features));
            NDArray y = model.logits(x, false).argMax(1);
            for (Norm norm : Norm.values()) {
                double radius = norm == Norm.LINF ? epsilon : epsilon * Math.sqrt(features);
                AutoAttackReport report = AutoAttack.builder().setEpsilon(radius).optNorm(norm).optIterations(20)
                        .optQueries(200).build().evaluate(model, x, y, Seeds.stream(1, "aa")).report();
                assertEquals(List.of("apgd-ce", "apgd-t", "fab-t", "square"),
                        report.steps().stream().map(AutoAttackReport.Step::attack).toList());
                assertTrue(report.skipped().isEmpty(), report.skipped().toString());
                int robust = count(report.robust());
                List<Attack> alone = List.of(
                        Apgd.builder().setEpsilon(radius).optNorm(norm).optSteps(20).build(),
                        ApgdTargeted.builder().setEpsilon(radius).optNorm(norm).optSteps(20).build(),
                        Fab.builder().setEpsilon(radius).optNorm(norm).optSteps(20).optTargeted(true).build(),
                        Square.builder().setEpsilon(radius).optNorm(norm).optQueries(200).build());
                StringBuilder counts = new StringBuilder(norm.id() + ": autoattack robust " + robust);
                for (Attack attack : alone) {
                    int aloneRobust = n - attack.run(model, x, y, Seeds.stream(1, attack.id())).successes();
                    counts.append(", ").append(attack.id()).append(" alone ").append(aloneRobust);
                    assertTrue(robust <= aloneRobust, counts.toString());
                }
                assertTrue(robust > 0 && robust < n, "neither everything nor nothing is robust: " + counts);
            }
        }
    }

    @Test
    void eachAttackReceivesOnlyThePointsStillRobust() {
        Classifier model = run.classifier();
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDList data = test.batch(manager, 0, POINTS);
            NDArray x = data.get(0);
            NDArray y = data.get(1);
            List<Recording> recordings = new ArrayList<>();
            AutoAttack.Builder builder = AutoAttack.builder().setEpsilon(EPSILON);
            for (Attack attack : components()) {
                Recording recording = new Recording(attack);
                recordings.add(recording);
                builder.addAttack(recording);
            }
            AutoAttackReport report = builder.build().evaluate(model, x, y, Seeds.stream(2, "aa")).report();

            float[] features = x.toFloatArray();
            int d = features.length / POINTS;
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < POINTS; i++) {
                index.put(Arrays.toString(Arrays.copyOfRange(features, i * d, (i + 1) * d)), i);
            }
            boolean[] stillRobust = RobustnessEvaluator.correct(model, x, y);
            for (int k = 0; k < recordings.size(); k++) {
                Recording recording = recordings.get(k);
                assertEquals(1, recording.calls, recording.id() + " ran once");
                List<Integer> received = new ArrayList<>();
                for (int q = 0; q < recording.inputs.length / d; q++) {
                    received.add(index.get(Arrays.toString(Arrays.copyOfRange(recording.inputs, q * d, (q + 1) * d))));
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < POINTS; i++) {
                    if (stillRobust[i]) {
                        expected.add(i);
                    }
                }
                assertEquals(expected, received, recording.id() + " receives exactly the points still robust");
                assertEquals(k == 0 ? count(report.clean()) : report.steps().get(k - 1).robustAfter(),
                        report.steps().get(k).attacked());
                try (NDManager scope = manager.newSubManager()) {
                    NDArray outputs = scope.create(recording.outputs, new Shape(received.size(), d));
                    long[] labels = new long[received.size()];
                    for (int q = 0; q < labels.length; q++) {
                        labels[q] = y.toLongArray()[received.get(q)];
                    }
                    boolean[] correct = RobustnessEvaluator.correct(model, outputs, scope.create(labels));
                    for (int q = 0; q < correct.length; q++) {
                        stillRobust[received.get(q)] &= correct[q];
                    }
                }
            }
            assertArrayEquals(stillRobust, report.robust());
            assertTrue(recordings.get(0).inputs.length > recordings.get(2).inputs.length,
                    "later attacks see fewer points");
        }
    }

    @Test
    void theSameSeedGivesTheSameFlags() {
        Classifier model = run.classifier();
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDList data = test.batch(manager, 0, 100);
            AutoAttack autoAttack = AutoAttack.builder().setEpsilon(EPSILON).optIterations(10).optQueries(100).build();
            AutoAttack.Evaluation first = autoAttack.evaluate(model, data.get(0), data.get(1), Seeds.stream(3, "aa"));
            AutoAttack.Evaluation second = autoAttack.evaluate(model, data.get(0), data.get(1), Seeds.stream(3, "aa"));
            assertArrayEquals(first.report().robust(), second.report().robust());
            assertArrayEquals(first.adversarial().toFloatArray(), second.adversarial().toFloatArray());
            assertEquals(first.report().lines(), second.report().lines());
            AttackResult asAttack = autoAttack.run(model, data.get(0), data.get(1), Seeds.stream(3, "aa"));
            for (int i = 0; i < 100; i++) {
                assertEquals(!first.report().robust()[i], asAttack.success()[i], "success means not robust");
            }
        }
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOne() {
        Classifier model = run.classifier();
        AutoAttack.Builder builder = AutoAttack.builder().setEpsilon(EPSILON);
        components().forEach(builder::addAttack);
        AutoAttack autoAttack = builder.build();
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDList data = test.batch(manager, 0, 100);
            NDArray x = data.get(0);
            NDArray y = data.get(1);
            AutoAttack.Evaluation full = autoAttack.evaluate(model, x, y, Seeds.stream(6, "aa"));
            List<AutoAttackState> states = new ArrayList<>();
            autoAttack.resume(model, x, y, Seeds.stream(6, "aa"), null, states::add);
            assertEquals(3, states.size(), "a state after each component");
            assertEquals(1, states.get(0).completed());
            AutoAttack.Evaluation resumed = autoAttack.resume(model, x, y, Seeds.stream(6, "aa"), states.get(0),
                    state -> { });
            assertArrayEquals(full.report().robust(), resumed.report().robust());
            assertArrayEquals(full.adversarial().toFloatArray(), resumed.adversarial().toFloatArray());
            assertEquals(full.report().lines(), resumed.report().lines());
            AutoAttack other = AutoAttack.builder().setEpsilon(EPSILON).optIterations(5).build();
            assertThrows(IllegalArgumentException.class,
                    () -> other.resume(model, x, y, Seeds.stream(6, "aa"), states.get(0), state -> { }));
        }
    }

    @Test
    void versionsNameTheirComponentsAndReportWhatTheySkip() {
        assertEquals(List.of("apgd-ce", "apgd-t", "fab-t", "square"),
                AutoAttack.builder().setEpsilon(EPSILON).build().componentIds());
        assertEquals(List.of("apgd-ce", "apgd-dlr", "fab", "square", "apgd-t", "fab-t"),
                AutoAttack.builder().setEpsilon(EPSILON).optVersion(AutoAttack.PLUS).build().componentIds());
        assertEquals(List.of("apgd-ce", "apgd-dlr"),
                AutoAttack.builder().setEpsilon(EPSILON).optVersion(AutoAttack.RAND).build().componentIds());
        assertEquals(List.of(), AutoAttack.builder().setEpsilon(EPSILON).build().skipped());
        assertEquals(List.of(), AutoAttack.builder().setEpsilon(EPSILON).optVersion(AutoAttack.PLUS).build().skipped());
        assertEquals(List.of("deepfool not in this library, skipped"), AutoAttack.builder().setEpsilon(EPSILON)
                .addAttack(Square.builder().setEpsilon(EPSILON).build()).addSkipped("deepfool", "not in this library")
                .build().skipped());
        assertThrows(IllegalArgumentException.class, () -> AutoAttack.builder().setEpsilon(EPSILON)
                .optVersion("fast").build());
        assertThrows(IllegalArgumentException.class, () -> AutoAttack.builder().build());

        Classifier model = run.classifier();
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDList data = test.batch(manager, 0, 60);
            AutoAttackReport report = AutoAttack.builder().setEpsilon(EPSILON).optIterations(5).optQueries(50).build()
                    .evaluate(model, data.get(0), data.get(1), Seeds.stream(4, "aa")).report();
            assertEquals(List.of("apgd-t needs at least 4 classes, the model has 2, skipped"), report.skipped());
            assertTrue(report.lines().contains("apgd-t needs at least 4 classes, the model has 2, skipped"),
                    String.join("\n", report.lines()));
            assertEquals(List.of(false, true, false, false),
                    report.steps().stream().map(AutoAttackReport.Step::skipped).toList());
            assertEquals(4, report.steps().size());
        }
    }

    @Test
    void manyRunsLeaveNoArraysBehind() {
        Classifier model = run.classifier();
        AutoAttack.Builder builder = AutoAttack.builder().setEpsilon(EPSILON)
                .addAttack(Apgd.builder().setEpsilon(EPSILON).optSteps(5).build())
                .addAttack(Square.builder().setEpsilon(EPSILON).optQueries(30).build())
                .addAttack(Fab.builder().setEpsilon(EPSILON).optSteps(20).optTargeted(true).build())
                .addAttack(Fab.builder().setEpsilon(EPSILON).optSteps(10).optRestarts(2).build())
                .addSkipped("deepfool", "not in this library");
        AutoAttack autoAttack = builder.build();
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDList data = test.batch(manager, 0, 64);
            SplittableRandom random = Seeds.stream(5, "leak");
            autoAttack.evaluate(model, data.get(0), data.get(1), random).adversarial().close();
            int before = manager.getManagedArrays().size();
            int systemBefore = systemArrays();
            for (int round = 0; round < 3; round++) {
                autoAttack.evaluate(model, data.get(0), data.get(1), random).adversarial().close();
                autoAttack.run(model, data.get(0), data.get(1), random).adversarial().close();
            }
            assertEquals(before, manager.getManagedArrays().size(), "live arrays of the caller's manager");
            assertEquals(systemBefore, systemArrays(), "live arrays of the process");
        }
        for (var parameter : model.parameters()) {
            assertFalse(!parameter.requiresGradient(), parameter.getName() + " is trainable again");
        }
    }

    /** An attack that remembers what it was given and what it returned. */
    private static final class Recording implements Attack {
        private final Attack attack;
        private float[] inputs;
        private float[] outputs;
        private int calls;

        Recording(Attack attack) {
            this.attack = attack;
        }

        @Override
        public String id() {
            return attack.id();
        }

        @Override
        public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
            return run(model, x, labels, random).adversarial();
        }

        @Override
        public AttackResult run(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
            calls++;
            inputs = x.toFloatArray();
            AttackResult result = attack.run(model, x, labels, random);
            outputs = result.adversarial().toFloatArray();
            return result;
        }
    }

    static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    private static int systemArrays() {
        try (NDManager probe = MlEngine.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
