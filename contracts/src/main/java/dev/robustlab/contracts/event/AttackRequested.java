package dev.robustlab.contracts.event;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;

/**
 * One attack job: one attack on one shard of the test set of one checkpoint. Topic {@code attack-requested},
 * key = job id (so the shards of a checkpoint spread over partitions), published by eval-service, consumed by
 * attack-service replicas in consumer group {@code attack-service}.
 *
 * @param jobId      {@code <runId>/<epoch>/<attack>/<shardIndex>}: the same job always has the same id
 * @param runId      run id
 * @param epoch      1-based epoch of the checkpoint
 * @param attack     attack id ({@code pgd-20}, {@code cw-inf})
 * @param norm       threat model norm ({@code linf})
 * @param epsilon    radius ε
 * @param stepSize   attack step size
 * @param dataset    dataset of the run (the test split is attacked)
 * @param model      model of the run
 * @param shardIndex 0-based shard
 * @param shardCount shards of this (run, epoch, attack)
 * @param offset     index of the shard's first test example
 * @param count      examples in the shard
 * @param seed       seed of the attack's random start
 * @param checkpoint the checkpoint to attack
 */
public record AttackRequested(String jobId, String runId, int epoch, String attack, String norm, double epsilon,
                              double stepSize, DatasetSpec dataset, ModelSpec model, int shardIndex,
                              int shardCount, int offset, int count, long seed, CheckpointRef checkpoint) {

    /** The deterministic id of a job. */
    public static String jobId(String runId, int epoch, String attack, int shardIndex) {
        return runId + "/" + epoch + "/" + attack + "/" + shardIndex;
    }
}
