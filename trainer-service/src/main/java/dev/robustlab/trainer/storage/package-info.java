/**
 * Checkpoints in S3. Layout ({@link dev.robustlab.trainer.storage.CheckpointKeys}):
 * {@code runs/<runId>/epoch-<NNN>/model.params} (the bytes of {@code TrainingRun.checkpoint()}) and
 * {@code runs/<runId>/epoch-<NNN>/manifest.json} beside it ({@link dev.robustlab.trainer.storage.CheckpointManifest}).
 * The manifest is written after the parameters, so a manifest is proof that its checkpoint is complete.
 */
package dev.robustlab.trainer.storage;
