/**
 * Training: a {@link dev.robustlab.ml.training.TrainingRun} trains a run spec epoch by epoch with a
<<<<<<< HEAD
 * {@link dev.robustlab.ml.training.TrainingObjective} ({@code standard}, {@code pgd-at}; {@code alp}, {@code trades},
 * {@code mart}, {@code mail-at}, {@code mail-trades}, {@code mail-mart}, {@code nmse}), SGD and the spec's
 * learning-rate schedule, and interpolates parameters after each epoch when PIAT is on.
 * {@link dev.robustlab.ml.training.Objectives} builds an objective from its method id and hyper-parameters.
=======
 * {@link dev.robustlab.ml.training.TrainingObjective} ({@code standard}, {@code pgd-at}, Squeeze Training's
 * {@code st}, {@code st-js}, {@code st-l2}, {@code cfa}; {@link dev.robustlab.ml.training.Objectives} builds them
 * from a method id and its parameters), SGD and the spec's learning-rate schedule, optionally with AWP/RWP weight
 * perturbation ({@code training.perturbation}), and interpolates parameters after each epoch when PIAT is on.
 * Shared pieces: the softmax divergences ({@link dev.robustlab.ml.training.SoftmaxDivergences}), TRADES' KL
 * attack ({@link dev.robustlab.ml.training.KlPgd}), BatchNorm running statistics held fixed
 * ({@link dev.robustlab.ml.training.RunningStatistics}) and exact parameter copies
 * ({@link dev.robustlab.ml.training.ParameterValues}).
>>>>>>> wt-objectives-b
 */
package dev.robustlab.ml.training;
