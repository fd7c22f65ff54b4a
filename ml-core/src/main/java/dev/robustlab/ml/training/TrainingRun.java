package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.FieldError;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.RunSpecValidator;
import dev.robustlab.contracts.spec.WeightPerturbationSpec;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.data.Augmentation;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import dev.robustlab.ml.optimizer.Sgd;
import dev.robustlab.ml.piat.ParameterInterpolation;
import dev.robustlab.ml.training.perturbation.PerturbedWeights;
import dev.robustlab.ml.training.perturbation.WeightPerturbation;
import dev.robustlab.ml.training.perturbation.WeightPerturbationConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * One training run of a {@link RunSpec}, epoch by epoch: the entry point trainer-service uses.
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.start(spec.withDefaults())) {
 *     for (int e = 1; e <= spec.epochs(); e++) {
 *         EpochSummary summary = run.trainEpoch();
 *         byte[] checkpoint = run.checkpoint();   // parameters after the epoch (after interpolation with PIAT)
 *     }
 * }
 * }</pre>
 * The model, the training split (image datasets from a data directory, see {@link Datasets}), the augmentation and
 * the objective ({@link Objectives#create} with the spec's method and hyper-parameters) come from the spec.
 * Each epoch shuffles the training split with the run seed and walks it in batches of {@code batchSize} (the last
 * one smaller); each batch is augmented (if the spec asks for it), runs the objective, one SGD step at the rate
 * {@code lrSchedule.rateAt(e + b / B, lr)} (e the 0-based epoch, b the batch, B batches per epoch), in its own
 * sub-manager. With PIAT the epoch ends with
 * θ_t = α_t·θ_{t−1} + (1 − α_t)·θ̃_t, whatever the objective. The seed fixes the initial parameters, the batch order,
 * the augmentation and the training attack's random starts, each from its own stream, so a run is reproducible.
 * With weight perturbation (AWP/RWP) each step's gradient is taken at the perturbed weights, which are restored
 * exactly before the SGD step. After each epoch the objective hears of it ({@link TrainingObjective#epochEnded}, with
 * the per-class accuracy of its logits), and checkpoints carry the weights the objective chooses
 * ({@link TrainingObjective#withCheckpointWeights}).
 *
 * <p>Not thread-safe; at most one run per JVM trains at a time (DJL allows one open gradient collector; gradient
 * passes of concurrent users of this library take turns).
 */
public final class TrainingRun implements AutoCloseable {
    private final RunSpec spec;
    private final NDManager manager;
    private final LabeledExamples train;
    private final Classifier model;
    private final Sgd optimizer;
    private final TrainingObjective objective;
    private final ParameterInterpolation interpolation;
    private final WeightPerturbation weightPerturbation;
    private final SplittableRandom shuffling;
    private final SplittableRandom attackStarts;
    private final Augmentation augmentation;
    private final SplittableRandom augmentationDraws;
    private int epochsDone;
    private boolean closed;

    private TrainingRun(RunSpec spec, NDManager manager, LabeledExamples train, Classifier model, Sgd optimizer,
                        TrainingObjective objective, ParameterInterpolation interpolation,
                        WeightPerturbation weightPerturbation) {
        this.spec = spec;
        this.manager = manager;
        this.train = train;
        this.model = model;
        this.optimizer = optimizer;
        this.objective = objective;
        this.interpolation = interpolation;
        this.weightPerturbation = weightPerturbation;
        this.shuffling = Seeds.stream(spec.seed(), "batch-order");
        this.attackStarts = Seeds.stream(spec.seed(), "training-attack");
        this.augmentation = Augmentation.of(spec.training().augmentation());
        this.augmentationDraws = Seeds.stream(spec.seed(), "augmentation");
    }

    /**
     * Builds the dataset, model and optimizer of {@code spec} (which must be validated, with defaults); image datasets
     * come from their default directories only.
     *
     * @throws IllegalArgumentException if the spec lacks defaults or does not validate, naming every bad field
     */
    public static TrainingRun start(RunSpec spec) {
        return start(spec, null);
    }

    /**
     * Builds the dataset, model, augmentation, objective, weight perturbation and optimizer of {@code spec} (which
     * must be validated, with defaults).
     *
     * @param dataRoot where image datasets live, one directory per dataset id ({@link Datasets#directory}); null for
     *                 their default directories
     * @throws IllegalArgumentException if the spec lacks defaults or does not validate, naming every bad field, if
     *                                  this build does not implement its method, or if the dataset's files are
     *                                  missing or too small for it
     */
    public static TrainingRun start(RunSpec spec, Path dataRoot) {
        check(spec);
        TrainingObjective objective = Objectives.create(spec.training().method(), spec.training().parameters(),
                spec.threatModel());
        WeightPerturbationSpec w = spec.training().weightPerturbation();
        WeightPerturbationConfig perturbation = w != null && w.enabled()
                ? WeightPerturbationConfig.of(w.type(), w.gamma(), w.steps(), w.lossThreshold()) : null;
        return start(spec, dataRoot, objective, perturbation);
    }

    /** A run of {@code spec} (validated, with defaults) that trains with {@code objective}, for tests. */
    static TrainingRun start(RunSpec spec, TrainingObjective objective, WeightPerturbationConfig weightPerturbation) {
        check(spec);
        return start(spec, null, objective, weightPerturbation);
    }

    private static TrainingRun start(RunSpec spec, Path dataRoot, TrainingObjective objective,
                                     WeightPerturbationConfig weightPerturbation) {
        LabeledExamples train = Datasets.trainSplit(spec.dataset(), dataRoot);
        NDManager manager = MlEngine.newBaseManager();
        try {
            Classifier model = Models.create(spec.model(), train.exampleShape(), train.classes(), spec.seed(),
                    manager);
            Sgd optimizer = new Sgd(spec.optimizer().momentum(), spec.optimizer().weightDecay(), manager);
            ParameterInterpolation interpolation = Boolean.TRUE.equals(spec.training().piat().enabled())
                    ? new ParameterInterpolation(spec.training().piat()) : null;
            return new TrainingRun(spec, manager, train, model, optimizer, objective, interpolation,
                    weightPerturbation == null ? null : new WeightPerturbation(weightPerturbation));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Trains the next epoch (and interpolates with PIAT), returns its summary.
     *
     * @throws IllegalStateException if the run is closed or all its epochs are trained
     */
    public EpochSummary trainEpoch() {
        if (closed) {
            throw new IllegalStateException("the training run is closed");
        }
        if (epochsDone >= spec.epochs()) {
            throw new IllegalStateException("all " + spec.epochs() + " epochs are trained");
        }
        long started = System.nanoTime();
        ParameterInterpolation.Snapshot start = interpolation == null ? null : interpolation.snapshot(model);
        try {
            int n = train.size();
            int batchSize = spec.batchSize();
            int batches = (n + batchSize - 1) / batchSize;
            int[] order = permutation(n);
            double lossSum = 0;
            long correct = 0;
            long[] correctByClass = new long[train.classes()];
            long[] examplesByClass = new long[train.classes()];
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize;
                int[] indices = Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
                double rate = spec.lrSchedule().rateAt(epochsDone + (double) b / batches,
                        spec.optimizer().learningRate());
                try (NDManager batch = manager.newSubManager()) {
                    NDList data = augmentation.batch(train, batch, indices, augmentationDraws);
                    NDArray x = data.get(0);
                    NDArray labels = data.get(1);
                    NDList prepared = objective.prepare(model, x, labels, attackStarts);
                    // AWP/RWP: the gradient is taken at w + v; closing the perturbation restores w exactly
                    try (PerturbedWeights perturbed = weightPerturbation == null ? null
                            : weightPerturbation.perturb(model, objective, prepared, labels);
                         GradientScope gradients = GradientScope.open()) {
                        TrainingObjective.Value value = objective.loss(model, prepared, labels);
                        gradients.backward(value.loss());
                        lossSum += value.loss().getFloat();
                        boolean[] right = value.logits().argMax(1).eq(labels).toBooleanArray();
                        correct += countTrue(right);
                        tally(right, labels.toLongArray(), correctByClass, examplesByClass);
                    }
                    optimizer.step(model.parameters(), rate);
                }
            }
            Double alpha = null;
            if (interpolation != null) {
                alpha = interpolation.interpolate(model, start);
            }
            epochsDone++;
            objective.epochEnded(new EpochContext(epochsDone, model, correctByClass, examplesByClass));
            double seconds = (System.nanoTime() - started) / 1e9;
            return new EpochSummary(epochsDone, lossSum / batches, (double) correct / n, seconds, alpha);
        } finally {
            if (start != null) {
                start.close();
            }
        }
    }

    /** The current parameters, serialised so that {@link dev.robustlab.ml.evaluation.ShardEvaluation} reloads them. */
    public byte[] checkpoint() {
        if (closed) {
            throw new IllegalStateException("the training run is closed");
        }
        return objective.withCheckpointWeights(model, () -> Checkpoints.write(model));
    }

    /** Epochs trained so far. */
    public int epochsDone() {
        return epochsDone;
    }

    /** The spec this run trains. */
    public RunSpec spec() {
        return spec;
    }

    /** The model being trained, owned by this run (valid until {@link #close()}); for inspection, not mutation. */
    public Classifier classifier() {
        return model;
    }

    /** The run's base manager, for leak accounting in tests. */
    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    private int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = shuffling.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static void tally(boolean[] right, long[] labels, long[] correctByClass, long[] examplesByClass) {
        for (int i = 0; i < right.length; i++) {
            int k = Math.toIntExact(labels[i]);
            examplesByClass[k]++;
            correctByClass[k] += right[i] ? 1 : 0;
        }
    }

    private static int countTrue(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    /**
     * A spec may ask for more than this build does: refuse it rather than train something else than asked.
     * Weight perturbation (AWP/RWP) lands as a hook in {@link #trainEpoch()}; replace this refusal with it.
     */
    private static void check(RunSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("run spec is required");
        }
        if (spec.dataset() == null || spec.model() == null || spec.training() == null
                || spec.training().piat() == null || spec.training().parameters() == null
                || spec.training().augmentation() == null || spec.optimizer() == null || spec.lrSchedule() == null
                || spec.threatModel() == null || spec.evaluation() == null || spec.epochs() == null
                || spec.batchSize() == null || spec.seed() == null) {
            throw new IllegalArgumentException("run spec lacks defaults: apply RunSpec.withDefaults() first");
        }
        List<FieldError> errors = RunSpecValidator.validate(spec);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid run spec: " + errors.stream()
                    .map(e -> e.field() + " " + e.reason()).collect(Collectors.joining("; ")));
        }
    }
}
