/**
 * trainer-service: takes {@code run-requested} events, trains each run epoch by epoch with ml-core's
 * {@link dev.robustlab.ml.training.TrainingRun}, stores every epoch's checkpoint and manifest in S3 and announces
 * progress on {@code run-status} and checkpoints on {@code checkpoint-created}.
 *
 * <ul>
 *   <li>{@code messaging}: the Kafka consumer and the event publisher (channel names in {@code Channels});</li>
 *   <li>{@code training}: the run loop, its idempotency rule and its progress record;</li>
 *   <li>{@code storage}: the S3 client, the key layout and the checkpoint manifests;</li>
 *   <li>{@code health}: the liveness check that watches training progress;</li>
 *   <li>{@code runtime}: process-level settings (DJL offline mode, the worker's name);</li>
 *   <li>{@code config}: typed configuration.</li>
 * </ul>
 */
package dev.robustlab.trainer;
