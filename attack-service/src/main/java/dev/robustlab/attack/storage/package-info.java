/**
 * Checkpoints from S3, through a cache on disk that is keyed and verified by SHA-256
 * ({@link dev.robustlab.attack.storage.CheckpointCache}). Failures are of two kinds:
 * {@link dev.robustlab.attack.storage.CheckpointRejectedException} (the checkpoint is wrong or missing: retrying
 * cannot help) and {@link dev.robustlab.attack.storage.StorageUnavailableException} (S3 failed: retrying may).
 */
package dev.robustlab.attack.storage;
