package dev.robustlab.cli.reproduce;

import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.ml.training.EpochSummary;
import dev.robustlab.ml.training.TrainingRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the arms of a study one after the other, in this process, and measures every epoch as the cluster does:
 * after each epoch the run's checkpoint ({@link TrainingRun#checkpoint()}, after PIAT's interpolation) is measured
 * by the {@link EpochEvaluator} (clean accuracy and each per-epoch attack). The best epoch is the one with the
 * highest robust accuracy under the selection attack (the earlier on a tie); the attacks too costly for every epoch
 * (AutoAttack) run on the best and the final checkpoints only.
 *
 * <pre>{@code
 * Study study = Study.builder().setEvaluator(evaluator).setAttacks(List.of("pgd-20", "cw-inf"))
 *         .optBestAndFinalAttacks(List.of("autoattack")).optProgress(progress).build();
 * MethodResult pgdAt = study.run(new StudyMethod("pgd-at", "PGD-AT", "pgd-at", false), base, manager);
 * }</pre>
 */
public final class Study {
    private final EpochEvaluator evaluator;
    private final List<String> attacks;
    private final List<String> bestAndFinalAttacks;
    private final String selectedBy;
    private final Path dataRoot;
    private final StudyProgress progress;

    private Study(Builder builder) {
        this.evaluator = builder.evaluator;
        this.attacks = builder.attacks;
        this.bestAndFinalAttacks = builder.bestAndFinalAttacks;
        this.selectedBy = builder.selectedBy;
        this.dataRoot = builder.dataRoot;
        this.progress = builder.progress;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains {@code method} on {@code base} for {@code base.epochs()} epochs and measures it.
     *
     * @param base    the study's run: everything but the training part ({@link StudyMethod#spec})
     * @param manager the evaluations' arrays live in sub-managers of it, closed after each evaluation
     * @throws IllegalArgumentException when the run cannot start (the spec does not validate, the dataset's files
     *                                  are missing), naming the reason
     */
    public MethodResult run(StudyMethod method, RunSpec base, NDManager manager) {
        RunSpec spec = method.spec(base);
        long started = System.nanoTime();
        List<EpochRecord> epochs = new ArrayList<>();
        byte[] best = null;
        int bestEpoch = 0;
        byte[] last = null;
        try (TrainingRun run = TrainingRun.start(spec, dataRoot)) {
            for (int e = 1; e <= spec.epochs(); e++) {
                EpochSummary summary = run.trainEpoch();
                byte[] checkpoint = run.checkpoint();
                long evaluationStarted = System.nanoTime();
                Map<String, Double> metrics = evaluator.evaluate(checkpoint, spec.model(), attacks, true, manager);
                EpochRecord record = new EpochRecord(summary.epoch(), summary.trainLoss(), summary.trainAccuracy(),
                        summary.piatAlpha(), metrics, summary.seconds(), seconds(evaluationStarted));
                if (best == null || record.metric(selectedBy) > epochs.get(bestEpoch - 1).metric(selectedBy)) {
                    best = checkpoint;
                    bestEpoch = record.epoch();
                }
                last = checkpoint;
                epochs.add(record);
                progress.epochDone(method, record, spec.epochs());
            }
        }
        Map<Integer, Map<String, Double>> later = new LinkedHashMap<>();
        if (!bestAndFinalAttacks.isEmpty()) {
            int finalEpoch = epochs.size();
            progress.note(String.format(Locale.ROOT, "%s: %s on the best epoch (%d)%s, %d test examples",
                    method.label(), String.join(", ", bestAndFinalAttacks), bestEpoch,
                    bestEpoch == finalEpoch ? ", which is the final one" : " and the final one (" + finalEpoch + ")",
                    evaluator.examples()));
            long laterStarted = System.nanoTime();
            later.put(bestEpoch, evaluator.evaluate(best, spec.model(), bestAndFinalAttacks, false, manager));
            if (bestEpoch != finalEpoch) {
                later.put(finalEpoch, evaluator.evaluate(last, spec.model(), bestAndFinalAttacks, false, manager));
            }
            StringBuilder done = new StringBuilder(String.format(Locale.ROOT, "%s: %s done in %.1f s:",
                    method.label(), String.join(", ", bestAndFinalAttacks), seconds(laterStarted)));
            later.forEach((epoch, metrics) -> metrics.forEach((attack, value) -> done.append(String.format(
                    Locale.ROOT, " epoch %d %s %.2f%%", epoch, attack, 100 * value))));
            progress.note(done.toString());
        }
        BestFinal bestFinal = BestFinal.of(epochs, selectedBy, later);
        Oscillation oscillation = Oscillation.of(epochs.stream().map(r -> r.metric(selectedBy)).toList());
        return new MethodResult(method, spec, epochs, later, bestFinal, oscillation, seconds(started));
    }

    /** The per-epoch attacks, in order. */
    public List<String> attacks() {
        return attacks;
    }

    /** The attacks run on the best and final checkpoints only. */
    public List<String> bestAndFinalAttacks() {
        return bestAndFinalAttacks;
    }

    /** The attack whose robust accuracy chooses the best epoch. */
    public String selectedBy() {
        return selectedBy;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Builds a {@link Study}. */
    public static final class Builder {
        private EpochEvaluator evaluator;
        private List<String> attacks;
        private List<String> bestAndFinalAttacks = List.of();
        private String selectedBy = "pgd-20";
        private Path dataRoot;
        private StudyProgress progress = StudyProgress.NONE;

        private Builder() {
        }

        /** What measures each epoch's checkpoint. */
        public Builder setEvaluator(EpochEvaluator evaluator) {
            this.evaluator = evaluator;
            return this;
        }

        /** The attacks run on every epoch's checkpoint, in order; must hold the selection attack. */
        public Builder setAttacks(List<String> attacks) {
            this.attacks = List.copyOf(attacks);
            return this;
        }

        /** The attacks run on the best and final checkpoints only (default none). */
        public Builder optBestAndFinalAttacks(List<String> bestAndFinalAttacks) {
            this.bestAndFinalAttacks = List.copyOf(bestAndFinalAttacks);
            return this;
        }

        /** The attack whose robust accuracy chooses the best epoch (default {@code pgd-20}). */
        public Builder optSelectedBy(String selectedBy) {
            this.selectedBy = selectedBy;
            return this;
        }

        /** Where image datasets live, one directory per dataset id (default: their default directories). */
        public Builder optDataRoot(Path dataRoot) {
            this.dataRoot = dataRoot;
            return this;
        }

        /** Told of every epoch (default: nothing). */
        public Builder optProgress(StudyProgress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * The study.
         *
         * @throws IllegalArgumentException when the evaluator or the attacks are missing, or the per-epoch attacks
         *                                  do not include the selection attack
         */
        public Study build() {
            if (evaluator == null) {
                throw new IllegalArgumentException("evaluator is required");
            }
            if (attacks == null || attacks.isEmpty()) {
                throw new IllegalArgumentException("attacks: at least one per-epoch attack is required");
            }
            if (!attacks.contains(selectedBy)) {
                throw new IllegalArgumentException("attacks " + attacks + " must include the selection attack '"
                        + selectedBy + "': it is measured on every epoch to choose the best one");
            }
            if (progress == null) {
                throw new IllegalArgumentException("progress must not be null (use StudyProgress.NONE)");
            }
            return new Study(this);
        }
    }
}
