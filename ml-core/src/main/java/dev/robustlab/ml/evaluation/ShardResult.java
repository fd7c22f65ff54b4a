package dev.robustlab.ml.evaluation;

/**
 * The outcome of one attack on one shard.
 *
 * @param examples     examples attacked
 * @param correctClean examples classified correctly without attack
 * @param robust       examples classified correctly after the attack (never more than correctClean)
 * @param robustFlags  per example, in dataset order
 */
public record ShardResult(int examples, int correctClean, int robust, boolean[] robustFlags) {
}
