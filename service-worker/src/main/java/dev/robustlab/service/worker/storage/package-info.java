/**
 * The checkpoint store of the workers: the S3 client ({@link dev.robustlab.service.worker.storage.S3ClientProducer}
 * on {@code robustlab.s3.*}) and the SHA-256 form in which checkpoints are named and verified.
 */
package dev.robustlab.service.worker.storage;
