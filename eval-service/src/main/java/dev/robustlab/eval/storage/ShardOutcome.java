package dev.robustlab.eval.storage;

import dev.robustlab.eval.merging.AttackAccuracy;
import java.util.Optional;

/**
 * What merging one shard result changed.
 *
 * @param merged    false when the shard was already merged (a duplicate delivery): nothing changed
 * @param done      shards of this (run, epoch, attack) merged so far
 * @param expected  shards it needs
 * @param completed the accuracy, present only for the delivery that completed the attack
 */
public record ShardOutcome(boolean merged, int done, int expected, Optional<AttackAccuracy> completed) {
}
