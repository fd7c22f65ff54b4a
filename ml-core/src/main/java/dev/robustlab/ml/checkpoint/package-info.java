/**
 * Checkpoints and model files: a classifier's parameters as bytes, with a header naming the architecture (enough to
 * rebuild it) and a checksum, so that a reload gives bit-identical logits and anything else is refused with a clear
 * message; and {@link dev.robustlab.ml.checkpoint.ModelFiles}, which loads a checkpoint or a TorchScript file
 * whichever it is given.
 */
package dev.robustlab.ml.checkpoint;
