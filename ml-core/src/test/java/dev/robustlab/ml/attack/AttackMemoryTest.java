package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live arrays do not grow with the iterations inside one attack: each step's temporaries and replaced state are
 * closed as the attack goes, not only when it returns (a 100-step APGD on a large batch would otherwise hold 100
 * copies of its state). A probe layer counts the live arrays under the caller's manager at every forward pass.
 */
class AttackMemoryTest {
    private static final int STEPS = 30;

    @Test
    void liveArraysStayFlatAcrossIterations() {
        List<Attack> attacks = List.of(
                IFgsm.builder().setEpsilon(0.1).optSteps(STEPS).build(),
                MiFgsm.builder().setEpsilon(0.1).optSteps(STEPS).build(),
                Pgd.builder().setEpsilon(0.1).setStepSize(0.02).optSteps(STEPS).build(),
                Pgd.builder().setEpsilon(0.1).setStepSize(0.02).optSteps(STEPS).optNorm(Norm.L2).build(),
                Apgd.builder().setEpsilon(0.1).optSteps(STEPS).build(),
                Apgd.builder().setEpsilon(0.1).optSteps(STEPS).optNorm(Norm.L2).optDlr().build(),
                Apgd.builder().setEpsilon(0.1).optSteps(STEPS).optEot(2).build());
        List<String> grew = new ArrayList<>();
        for (Attack attack : attacks) {
            try (NDManager manager = MlEngine.newBaseManager()) {
                List<Integer> live = new ArrayList<>();
                Classifier model = probed(manager, live);
                NDArray x = manager.create(new float[] {0.2f, 0.5f, 0.7f, 0.9f, 0.1f, 0.4f, 0.3f, 0.3f, 0.6f},
                        new Shape(3, 3));
                NDArray y = manager.create(new long[] {0, 1, 2});
                live.clear();
                attack.run(model, x, y, Seeds.stream(1, "memory"));
                // forward 0 is the start, 1 the first step; from there on every step looks alike
                int early = Math.max(live.get(2), live.get(3));
                int late = live.subList(4, live.size()).stream().mapToInt(Integer::intValue).max().orElse(0);
                if (late > early) {
                    grew.add(attack.id() + " " + attack.getClass().getSimpleName() + ": live arrays grew from "
                            + early + " to " + late + " " + live);
                }
            }
        }
        assertTrue(grew.isEmpty(), String.join("\n", grew));
    }

    /**
     * FAB makes several forward passes per iteration (FAB-T: the gradient and the check of the new point; FAB: one
     * gradient per class of 4, and the check), CW-l2 one per Adam step: live arrays may differ between the passes of
     * an iteration, but not grow from one iteration, target, restart or binary-search step to the next.
     */
    @Test
    void minimumNormAttacksStayFlatAcrossIterations() {
        record Probed(Attack attack, int forwardsPerIteration) {
        }
        List<Probed> attacks = List.of(
                new Probed(Fab.builder().setEpsilon(0.1).optSteps(STEPS).optTargeted(true).optRestarts(2).build(), 2),
                new Probed(Fab.builder().setEpsilon(0.1).optSteps(STEPS).optNorm(Norm.L2).optTargeted(true).build(),
                        2),
                new Probed(Fab.builder().setEpsilon(0.1).optSteps(STEPS).optRestarts(2).build(), 5),
                new Probed(Fab.builder().setEpsilon(0.1).optSteps(STEPS).optNorm(Norm.L2).build(), 5),
                new Probed(CwL2.builder().setEpsilon(0.1).optSteps(STEPS).optBinarySteps(3).optAbortEarly(false)
                        .build(), 1));
        List<String> grew = new ArrayList<>();
        for (Probed probed : attacks) {
            try (NDManager manager = MlEngine.newBaseManager()) {
                List<Integer> live = new ArrayList<>();
                Classifier model = probed(manager, live);
                // far from the boundary at ε = 0.1, so that every run, target and restart takes place
                NDArray x = manager.create(new float[] {0.2f, 0.5f, 0.7f, 0.9f, 0.1f, 0.4f, 0.3f, 0.3f, 0.6f},
                        new Shape(3, 3));
                NDArray y = model.logits(x, false).argMax(1);
                live.clear();
                probed.attack().run(model, x, y, Seeds.stream(1, "memory"));
                int period = probed.forwardsPerIteration();
                int early = live.subList(1 + period, 1 + 3 * period).stream().mapToInt(Integer::intValue).max()
                        .orElseThrow();
                int late = live.subList(1 + 3 * period, live.size()).stream().mapToInt(Integer::intValue).max()
                        .orElse(0);
                if (late > early || live.size() <= STEPS * period) {
                    grew.add(probed.attack().id() + ": live arrays grew from " + early + " to " + late + " over "
                            + live.size() + " forward passes " + live);
                }
            }
        }
        assertTrue(grew.isEmpty(), String.join("\n", grew));
    }

    /** A 4-class linear model behind a layer that records how many arrays live under {@code manager}. */
    private static Classifier probed(NDManager manager, List<Integer> live) {
        SequentialBlock block = new SequentialBlock()
                .add(new LambdaBlock(inputs -> {
                    live.add(manager.getManagedArrays().size());
                    return inputs;
                }))
                .add(Linear.builder().setUnits(4).build());
        NDManager parameters = manager.newSubManager();
        block.initialize(parameters, DataType.FLOAT32, new Shape(1, 3));
        return Classifier.of(block, parameters, "probed-linear", new Shape(3), 4);
    }
}
