/**
 * Training: a {@link dev.robustlab.ml.training.TrainingRun} trains a run spec epoch by epoch with a
 * {@link dev.robustlab.ml.training.TrainingObjective} ({@code standard}, {@code pgd-at}; {@code alp}, {@code trades},
 * {@code mart}, {@code mail-at}, {@code mail-trades}, {@code mail-mart}, {@code nmse}; Squeeze Training's
 * {@code st}, {@code st-js}, {@code st-l2}; {@code cfa}), SGD and the spec's learning-rate schedule, optionally with
 * AWP/RWP weight perturbation ({@code training.perturbation}), and interpolates parameters after each epoch when
 * PIAT is on. {@link dev.robustlab.ml.training.Objectives} builds an objective from its method id and
 * hyper-parameters. Shared pieces: TRADES' KL attack ({@link dev.robustlab.ml.training.TradesAttack}, also CFA's
 * with a radius per example), BatchNorm running statistics held fixed
 * ({@link dev.robustlab.ml.training.RunningStatistics}) and exact parameter copies
 * ({@link dev.robustlab.ml.training.ParameterValues}); the divergences the objectives use are losses
 * ({@code dev.robustlab.ml.loss}).
 */
package dev.robustlab.ml.training;
