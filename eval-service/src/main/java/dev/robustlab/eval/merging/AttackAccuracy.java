package dev.robustlab.eval.merging;

/**
 * Clean and robust accuracy of one attack on all evaluated examples of one epoch, as fractions in [0, 1].
 *
 * @param examples       examples measured
 * @param correctClean   examples classified correctly without attack
 * @param robust         examples still correct after the attack
 * @param cleanAccuracy  correctClean / examples
 * @param robustAccuracy robust / examples
 */
public record AttackAccuracy(int examples, int correctClean, int robust, double cleanAccuracy,
                             double robustAccuracy) {

    /** Accuracies of the given counts; 0 when there are no examples. */
    public static AttackAccuracy of(int examples, int correctClean, int robust) {
        return new AttackAccuracy(examples, correctClean, robust,
                examples == 0 ? 0 : (double) correctClean / examples, examples == 0 ? 0 : (double) robust / examples);
    }
}
