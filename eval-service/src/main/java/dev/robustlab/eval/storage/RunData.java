package dev.robustlab.eval.storage;

import dev.robustlab.eval.metrics.EpochProgress;
import java.time.Instant;
import java.util.List;

/**
 * Everything eval-service stores about one run.
 *
 * @param epochs   progress per evaluated epoch, in epoch order
 * @param failures failed attack jobs, oldest first
 */
public record RunData(List<EpochProgress> epochs, List<Failure> failures) {

    /** One failed attack job. */
    public record Failure(String jobId, int epoch, String attack, int shardIndex, String reason, String worker,
                          Instant at) {
    }
}
