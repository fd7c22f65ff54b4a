package dev.robustlab.contracts.event;

/**
 * An attack job that was refused or could not finish, e.g. because the checkpoint's SHA-256 did not match.
 * Topic {@code attack-failed}, key = run id, published by an attack worker, consumed by eval-service.
 *
 * @param jobId  the job's id
 * @param runId  run id
 * @param epoch  1-based epoch
 * @param attack attack id
 * @param shardIndex 0-based shard
 * @param reason what went wrong, for a person
 * @param worker which attack worker refused it
 */
public record AttackFailed(String jobId, String runId, int epoch, String attack, int shardIndex, String reason,
                           String worker) {
}
