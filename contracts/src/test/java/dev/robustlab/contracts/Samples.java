package dev.robustlab.contracts;

import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.event.EpochMetricRecorded;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.contracts.spec.AugmentationSpec;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.LearningRateSchedule;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.contracts.spec.WeightPerturbationSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One filled-in instance of every event, shared by the contract tests. */
final class Samples {
    static final String RUN_ID = "0b6a4c8e-4d4f-4b8e-9a52-1f1d0c1e2a3b";
    static final Instant AT = Instant.parse("2025-01-02T03:04:05.678Z");

    private Samples() {
    }

    /** A spec that sets a little of everything, with defaults filled in. */
    static RunSpec spec() {
        return new RunSpec("piat toy", new DatasetSpec(DatasetSpec.TOY_CIRCLES, 500, 200, 7L), null,
                new TrainingSpec(TrainingSpec.PGD_AT, new PiatSpec(true, null, null, null)), 5, 64, null,
                new LearningRateSchedule(LearningRateSchedule.PIECEWISE_LINEAR,
                        List.of(new LearningRateSchedule.Knot(2.0, 0.1), new LearningRateSchedule.Knot(4.0, 0.01))),
                null, new EvaluationPlan(List.of(EvaluationPlan.PGD_20), List.of(), 2, 200, 50, null), 42L)
                .withDefaults();
    }

    /** A CIFAR-10 spec that sets every part image runs added: architecture, method parameters, AWP, augmentation. */
    static RunSpec imageSpec() {
        return new RunSpec("wrn trades awp", new DatasetSpec(DatasetSpec.CIFAR10, 1000, 500, null),
                new ModelSpec(ModelSpec.WRN, null, 28, 4, null),
                new TrainingSpec(TrainingMethods.TRADES, new PiatSpec(true, null, null, null), Map.of("beta", 3.0),
                        new WeightPerturbationSpec(WeightPerturbationSpec.AWP, 0.005, null, null),
                        new AugmentationSpec(null, 2, null)), 3, 32, null, null, null, null, 5L).withDefaults();
    }

    static CheckpointRef checkpoint() {
        return new CheckpointRef("robustlab-checkpoints", "runs/" + RUN_ID + "/epoch-3.params",
                "runs/" + RUN_ID + "/epoch-3.json", "ab".repeat(32), 12345L);
    }

    static RunRequested runRequested() {
        return new RunRequested(RUN_ID, AT, spec());
    }

    static RunStatusChanged runStatusChanged() {
        return new RunStatusChanged(RUN_ID, RunStatusChanged.EPOCH_COMPLETED, 3, 5, 0.42, 0.81, 1.5, null,
                "trainer-1", AT);
    }

    static CheckpointCreated checkpointCreated() {
        return new CheckpointCreated(RUN_ID, 3, 5, spec().model().describe(), checkpoint(), spec(), AT);
    }

    static AttackRequested attackRequested() {
        RunSpec s = spec();
        return new AttackRequested(AttackRequested.jobId(RUN_ID, 3, "pgd-20", 1), RUN_ID, 3, "pgd-20", "linf",
                s.threatModel().epsilon(), s.evaluation().stepSize(), s.dataset(), s.model(), 1, 4, 50, 50, 99L,
                checkpoint());
    }

    static RobustnessMeasured robustnessMeasured() {
        return new RobustnessMeasured(AttackRequested.jobId(RUN_ID, 3, "pgd-20", 1), RUN_ID, 3, "pgd-20", 1, 4, 50,
                3, 2, 1, List.of(true, false, false), 0.25, "attack-1");
    }

    static AttackFailed attackFailed() {
        return new AttackFailed(AttackRequested.jobId(RUN_ID, 3, "pgd-20", 1), RUN_ID, 3, "pgd-20", 1,
                "checksum mismatch", "attack-1");
    }

    static EpochMetricRecorded epochMetricRecorded() {
        return new EpochMetricRecorded(RUN_ID, 3, "pgd-20", 200, 0.9, 0.55);
    }

    /** Every sample event, in topic order. */
    static List<Object> events() {
        return List.of(runRequested(), runStatusChanged(), checkpointCreated(), attackRequested(),
                robustnessMeasured(), attackFailed(), epochMetricRecorded());
    }
}
