/**
 * Losses on logits, per example: what training objectives minimise (as a batch mean) and attacks maximise (as a
 * batch sum, so that each example's gradient is its own).
 */
package dev.robustlab.ml.loss;
