/**
 * Evaluation: clean accuracy and per-example robustness of a classifier under an attack, and the shard evaluation
 * attack-service runs on a checkpoint. Robustness is a per-example flag (correct on the clean input and on the
 * adversarial one), so disjoint shards merged give the result on the whole set.
 */
package dev.robustlab.ml.evaluation;
