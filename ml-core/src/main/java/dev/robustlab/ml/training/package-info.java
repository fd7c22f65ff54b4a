/**
 * Training: a {@link dev.robustlab.ml.training.TrainingRun} trains a run spec epoch by epoch with a
 * {@link dev.robustlab.ml.training.TrainingObjective} ({@code standard}, {@code pgd-at}), SGD and the spec's
 * learning-rate schedule, and interpolates parameters after each epoch when PIAT is on.
 */
package dev.robustlab.ml.training;
