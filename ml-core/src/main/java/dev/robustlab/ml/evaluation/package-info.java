/**
 * Evaluation: clean accuracy and per-example robustness of a classifier under attacks.
 * <ul>
 * <li>{@link dev.robustlab.ml.evaluation.RobustnessEvaluator} and
 *     {@link dev.robustlab.ml.evaluation.ShardEvaluation}: one attack on one shard of a checkpoint's test split, what
 *     attack-service runs;</li>
 * <li>{@link dev.robustlab.ml.evaluation.RangeEvaluator}: a sequence of attacks (an AutoAttack suite or a list of
 *     attack ids, each run on the points still robust) over an index range
 *     ({@link dev.robustlab.ml.evaluation.EvaluationConfig}), in batches aligned to absolute indices and seeded by
 *     their start, resumable from a state file ({@link dev.robustlab.ml.evaluation.EvaluationState}); what
 *     {@code robustlab evaluate} runs.</li>
 * </ul>
 * Robustness is a per-example flag (correct on the clean input and on every adversarial one), so disjoint shards
 * merged ({@link dev.robustlab.ml.evaluation.EvaluationResult#merge}) give the result on the whole set.
 */
package dev.robustlab.ml.evaluation;
