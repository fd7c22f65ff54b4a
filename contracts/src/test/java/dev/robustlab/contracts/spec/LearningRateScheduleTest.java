package dev.robustlab.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two papers' schedules (../shared/METHODS.md) written as run-spec knots, at the epochs where they change. A
 * schedule is read at fractional 0-based epochs: epoch e (1-based) trains at e − 1 + b/B for its batches b.
 */
class LearningRateScheduleTest {
    private static final double TOLERANCE = 1e-15;

    /** PIAT, ResNet-18: lr 0.01 until epoch 60, linear decay to 0.001 at 90 and to 0.0001 at 120. */
    private static final LearningRateSchedule PIAT = new LearningRateSchedule(LearningRateSchedule.PIECEWISE_LINEAR,
            List.of(new LearningRateSchedule.Knot(60.0, 0.01), new LearningRateSchedule.Knot(90.0, 0.001),
                    new LearningRateSchedule.Knot(120.0, 0.0001)));
    /** Squeeze Training: lr 0.1, ×0.1 at epoch 80, ×0.01 at 100, of 120. */
    private static final LearningRateSchedule ST = new LearningRateSchedule(LearningRateSchedule.PIECEWISE_CONSTANT,
            List.of(new LearningRateSchedule.Knot(80.0, 0.01), new LearningRateSchedule.Knot(100.0, 0.001)));

    @Test
    void piatsPiecewiseLinearSchedule() {
        double base = 0.01;
        assertEquals(0.01, PIAT.rateAt(0, base), TOLERANCE);
        assertEquals(0.01, PIAT.rateAt(59.99, base), TOLERANCE);
        assertEquals(0.01, PIAT.rateAt(60, base), TOLERANCE);
        assertEquals(0.0055, PIAT.rateAt(75, base), TOLERANCE);
        assertEquals(0.01 - 0.009 * 0.5 / 30, PIAT.rateAt(60.5, base), TOLERANCE);
        assertEquals(0.001, PIAT.rateAt(90, base), TOLERANCE);
        assertEquals(0.00055, PIAT.rateAt(105, base), TOLERANCE);
        assertEquals(0.0001, PIAT.rateAt(119.999999, base), 1e-10);
        assertEquals(0.0001, PIAT.rateAt(120, base), TOLERANCE);
        assertEquals(0.0001, PIAT.rateAt(150, base), TOLERANCE);
        assertEquals(List.of(), RunSpecValidator.validate(withSchedule(PIAT, 0.01, 120)));
    }

    @Test
    void squeezeTrainingsPiecewiseConstantSchedule() {
        double base = 0.1;
        assertEquals(0.1, ST.rateAt(0, base), TOLERANCE);
        assertEquals(0.1, ST.rateAt(79.99, base), TOLERANCE);
        assertEquals(0.01, ST.rateAt(80, base), TOLERANCE);
        assertEquals(0.01, ST.rateAt(99.5, base), TOLERANCE);
        assertEquals(0.001, ST.rateAt(100, base), TOLERANCE);
        assertEquals(0.001, ST.rateAt(119.99, base), TOLERANCE);
        assertEquals(List.of(), RunSpecValidator.validate(withSchedule(ST, 0.1, 120)));
    }

    @Test
    void epochEightyOfSqueezeTrainingIsTheLastAtTheBaseRate() {
        // 1-based epoch 80 trains at 0-based fractional epochs [79, 80): all at 0.1; epoch 81 starts at 0.01.
        int batches = 391;
        for (int b = 0; b < batches; b++) {
            assertEquals(0.1, ST.rateAt(79 + (double) b / batches, 0.1), TOLERANCE);
            assertEquals(0.01, ST.rateAt(80 + (double) b / batches, 0.1), TOLERANCE);
        }
    }

    @Test
    void constantIgnoresTheEpoch() {
        LearningRateSchedule constant = new LearningRateSchedule(null, null).withDefaults();
        assertEquals(0.5, constant.rateAt(0, 0.5));
        assertEquals(0.5, constant.rateAt(1000, 0.5));
    }

    private static RunSpec withSchedule(LearningRateSchedule schedule, double lr, int epochs) {
        return new RunSpec(null, new DatasetSpec(DatasetSpec.CIFAR10, null, null, null),
                new ModelSpec(ModelSpec.RESNET18, null), null, epochs, null,
                new OptimizerSpec(null, lr, 0.9, 5e-4), schedule, null, null, null).withDefaults();
    }
}
