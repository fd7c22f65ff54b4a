/**
 * Per-epoch metrics of a run and the papers' summary (PIAT Table I): the best epoch (the complete epoch with the
 * highest PGD-20 robust accuracy, the earlier on a tie), the final epoch (the highest complete epoch) and their
 * difference, best minus final, per metric. All accuracies are fractions in [0, 1]. Pure, no I/O.
 */
package dev.robustlab.eval.metrics;
