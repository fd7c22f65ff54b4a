/**
 * Checkpoints: a classifier's parameters as bytes, with a header naming the architecture and a checksum, so that a
 * reload gives bit-identical logits and anything else is refused with a clear message.
 */
package dev.robustlab.ml.checkpoint;
