package dev.robustlab.contracts.event;

/**
 * Where a checkpoint lives and how to verify it.
 *
 * @param bucket      S3 bucket
 * @param objectKey   key of the parameters file
 * @param manifestKey key of the manifest (spec, epoch, architecture, SHA-256) beside it
 * @param sha256      lowercase hex SHA-256 of the parameters file
 * @param sizeBytes   its size
 */
public record CheckpointRef(String bucket, String objectKey, String manifestKey, String sha256, long sizeBytes) {
}
