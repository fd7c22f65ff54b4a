/**
 * attack-service: one replica runs one attack job at a time. A job ({@code attack-requested}) names a checkpoint
 * in S3 with its SHA-256; the worker fetches it through a verified on-disk cache, attacks one shard of the test set
 * with ml-core's {@link dev.robustlab.ml.evaluation.ShardEvaluation} and publishes {@code robustness-measured}, or
 * {@code attack-failed} when the job cannot be done (wrong hash, missing checkpoint, bad parameters).
 *
 * <ul>
 *   <li>{@code messaging}: the job consumer (decoding, retry policy, acknowledgement) and the result publisher;</li>
 *   <li>{@code evaluation}: running one job, and the record of its progress;</li>
 *   <li>{@code storage}: the S3 client and the checkpoint cache;</li>
 *   <li>{@code health}: liveness (job progress) and readiness (S3 reachable) checks;</li>
 *   <li>{@code runtime}: process-level settings (DJL offline mode, the worker's name);</li>
 *   <li>{@code config}: typed configuration.</li>
 * </ul>
 */
package dev.robustlab.attack;
