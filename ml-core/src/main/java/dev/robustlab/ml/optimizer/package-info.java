/**
 * Optimizers that update a {@link dev.robustlab.ml.model.Classifier}'s parameters in place from their gradients and
 * keep their own state (momentum buffers) across steps and across parameter interpolation.
 */
package dev.robustlab.ml.optimizer;
