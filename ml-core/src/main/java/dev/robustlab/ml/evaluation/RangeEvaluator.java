package dev.robustlab.ml.evaluation;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.ml.attack.autoattack.AutoAttack;
import dev.robustlab.ml.attack.autoattack.AutoAttackReport;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Evaluates a classifier on test examples [offset, offset + limit) under a sequence of attacks composed as
 * AutoAttack composes them ({@link AutoAttack}, the suite's version or a custom one of the listed attacks): each
 * attack runs only on the points still robust, and a point counts as broken only when the model misclassifies the
 * attack's output inside B_ε(x) ∩ [0,1]^d. The result has the clean flags, the robust flags after each attack and
 * the final ones.
 *
 * <p><b>Batches are aligned to absolute indices.</b> With batch size B, batch k covers the test examples
 * [k·B, (k+1)·B) ∩ [offset, offset + limit), and its randomness is the stream
 * {@code Seeds.stream(seed, "evaluation/batch@" + start)} of the seed and the batch's absolute first index. A batch
 * therefore sees the same examples and draws the same numbers whichever range it is part of: shards whose bounds
 * are multiples of B, evaluated separately (on other machines, in other sessions) and {@link EvaluationResult#merge
 * merged}, give exactly the flags of one evaluation of the whole range. Other bounds give valid flags, but not the
 * whole-range evaluation's, and {@code merge} refuses them.
 *
 * <p><b>Resume.</b> With a state file ({@link EvaluationState}), the result of every batch is written to it as soon
 * as the batch is done; an evaluation started again with the same file and configuration skips the recorded batches
 * and gives exactly the flags of an uninterrupted run. A file written for another configuration is refused.
 *
 * <p>Memory: each batch lives in a sub-manager of the caller's manager, closed when the batch is done; what the
 * evaluation keeps is plain Java arrays.
 */
public final class RangeEvaluator {

    private RangeEvaluator() {
    }

    /**
     * Runs (or resumes) the evaluation.
     *
     * @param model     the classifier, used in inference mode and left as it was found
     * @param testSplit the whole test split; the configuration's range indexes it
     * @param config    what to evaluate
     * @param stateFile where to record completed batches and to resume from, or null for none
     * @param progress  told before the first batch and after each
     * @param manager   batches are created in sub-managers of it
     * @throws IllegalArgumentException when the range is outside the split, the model's classes are not the
     *                                  dataset's, a listed attack needs more classes than the dataset has, or the
     *                                  state file belongs to another configuration or is malformed
     */
    public static EvaluationResult evaluate(Classifier model, LabeledExamples testSplit, EvaluationConfig config,
                                            Path stateFile, EvaluationProgress progress, NDManager manager) {
        if (config.end() > testSplit.size()) {
            throw new IllegalArgumentException("examples [" + config.offset() + ", " + config.end() + ") are not all "
                    + "in the test split of " + config.dataset() + ", which has " + testSplit.size());
        }
        if (model.classes() != testSplit.classes()) {
            throw new IllegalArgumentException("the model outputs " + model.classes() + " classes, dataset "
                    + config.dataset() + " has " + testSplit.classes());
        }
        for (String id : config.suite() == null ? config.attacks() : List.<String>of()) {
            int needed = EvaluationPlan.minClasses(id);
            if (testSplit.classes() < needed) {
                throw new IllegalArgumentException("'" + id + "' needs at least " + needed + " classes; dataset "
                        + config.dataset() + " has " + testSplit.classes());
            }
        }
        AutoAttack sequence = config.sequence();
        List<EvaluationResult> batches = new ArrayList<>(stateFile == null ? List.of()
                : EvaluationState.read(stateFile, config));
        int done = 0;
        int robust = 0;
        for (EvaluationResult batch : batches) {
            done += batch.examples();
            robust += count(batch.robust());
        }
        progress.update(done, config.limit(), share(robust, done));
        int batchSize = config.batchSize();
        for (int from = config.offset() + done; from < config.end(); ) {
            int to = Math.min(config.end(), (from / batchSize + 1) * batchSize);
            EvaluationResult batch = batch(model, testSplit, config, sequence, from, to, manager);
            batches.add(batch);
            if (stateFile != null) {
                EvaluationState.write(stateFile, config, batches);
            }
            done += batch.examples();
            robust += count(batch.robust());
            progress.update(done, config.limit(), share(robust, done));
            from = to;
        }
        return EvaluationResult.merge(batches);
    }

    /** The stream of the batch that starts at test example {@code start}. */
    static SplittableRandom batchRandom(long seed, int start) {
        return Seeds.stream(seed, "evaluation/batch@" + start);
    }

    private static EvaluationResult batch(Classifier model, LabeledExamples testSplit, EvaluationConfig config,
                                          AutoAttack sequence, int from, int to, NDManager manager) {
        long started = System.nanoTime();
        List<boolean[]> after = new ArrayList<>();
        AutoAttackReport report;
        try (NDManager scope = manager.newSubManager()) {
            NDList data = testSplit.batch(scope, from, to - from);
            report = sequence.resume(model, data.get(0), data.get(1), batchRandom(config.seed(), from), null,
                    state -> after.add(state.robust())).report();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String where = "examples [" + from + ", " + to + "): ";
        return new EvaluationResult(config.withRange(from, to - from), report.clean(), after, report.robust(),
                report.skipped(), report.warnings().stream().map(w -> where + w).toList(), seconds);
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    private static double share(int count, int of) {
        return of == 0 ? 0 : (double) count / of;
    }
}
