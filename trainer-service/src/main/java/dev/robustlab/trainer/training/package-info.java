/**
 * The run loop ({@link dev.robustlab.trainer.training.RunExecutor}) around ml-core's
 * {@link dev.robustlab.ml.training.TrainingRun}, and the record of its progress that liveness reads.
 */
package dev.robustlab.trainer.training;
