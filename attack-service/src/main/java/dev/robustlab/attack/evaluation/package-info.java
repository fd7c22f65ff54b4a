/**
 * Running one attack job ({@link dev.robustlab.attack.evaluation.AttackJobRunner}) on ml-core's
 * {@link dev.robustlab.ml.evaluation.ShardEvaluation}, and the record of the job in progress that liveness reads.
 */
package dev.robustlab.attack.evaluation;
