package dev.robustlab.ml;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.OptimizerSpec;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingSpec;

/** Run specs for tests, small enough to train in a fraction of a second per epoch. */
public final class TestSpecs {
    private TestSpecs() {
    }

    /** A validated-with-defaults spec of toy-circles. */
    public static RunSpec toy(String method, boolean piat, int trainSize, int epochs, int batchSize, double lr,
                              double epsilon, int steps, int hidden, long seed) {
        return new RunSpec("test", new DatasetSpec(DatasetSpec.TOY_CIRCLES, trainSize, 500, 9551L),
                new ModelSpec(ModelSpec.MLP, hidden), new TrainingSpec(method, new PiatSpec(piat, null, null, null)),
                epochs, batchSize, new OptimizerSpec(null, lr, null, null), null,
                new ThreatModel(null, epsilon, null, steps), null, seed).withDefaults();
    }

    /** A small PGD-AT spec: 256 examples, batches of 64, PGD-3, 16 hidden units. */
    public static RunSpec small(boolean piat, int epochs) {
        return toy(TrainingSpec.PGD_AT, piat, 256, epochs, 64, 0.1, 0.05, 3, 16, 11L);
    }
}
