/**
 * Robustlab's machine-learning core on DJL (PyTorch engine): generated datasets, models, adversarial attacks,
 * training objectives with parameter interpolation, checkpoints and shard evaluation.
 *
 * <p>The facades the services use are {@link dev.robustlab.ml.training.TrainingRun} (trainer-service) and
 * {@link dev.robustlab.ml.evaluation.ShardEvaluation} (attack-service); everything else is the library behind them,
 * one concept per package. Every {@link ai.djl.ndarray.NDArray} lives in a scoped {@link ai.djl.ndarray.NDManager}:
 * a base manager per run or evaluation, a sub-manager per batch, and one per attack step.
 */
package dev.robustlab.ml;
