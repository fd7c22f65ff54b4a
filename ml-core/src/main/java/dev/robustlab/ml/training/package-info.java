/**
 * Training: a {@link dev.robustlab.ml.training.TrainingRun} trains a run spec epoch by epoch with a
 * {@link dev.robustlab.ml.training.TrainingObjective} ({@code standard}, {@code pgd-at}; {@code alp}, {@code trades},
 * {@code mart}, {@code mail-at}, {@code mail-trades}, {@code mail-mart}, {@code nmse}), SGD and the spec's
 * learning-rate schedule, and interpolates parameters after each epoch when PIAT is on.
 * {@link dev.robustlab.ml.training.Objectives} builds an objective from its method id and hyper-parameters.
 */
package dev.robustlab.ml.training;
