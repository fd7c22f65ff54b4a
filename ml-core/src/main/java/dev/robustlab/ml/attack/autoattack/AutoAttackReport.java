package dev.robustlab.ml.attack.autoattack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an AutoAttack run measured on a batch: clean accuracy, the robust accuracy after each attack in order (each
 * attack ran only on the points still robust, so the sequence never rises), the final robust accuracy, per-example
 * flags, the components that were skipped and the sanity-check warnings.
 *
 * @param version  {@code standard}, {@code plus}, {@code rand} or {@code custom}
 * @param total    examples evaluated
 * @param clean    per example, whether the model classifies the clean input correctly
 * @param steps    one entry per component, in the order they ran (skipped ones included)
 * @param robust   per example, whether it is correct clean and no attack broke it: the per-example worst case
 * @param skipped  one line per component that did not run, e.g. {@code fab-t not implemented, skipped}
 * @param warnings sanity-check findings; empty when nothing looked wrong
 */
public record AutoAttackReport(String version, int total, boolean[] clean, List<Step> steps, boolean[] robust,
                               List<String> skipped, List<String> warnings) {

    /**
     * One component's part.
     *
     * @param attack      the attack's id
     * @param skipped     whether it did not run (then {@code attacked} and {@code broken} are 0)
     * @param attacked    points it received: those still robust before it
     * @param broken      points it broke (counted by evaluating the model on its output, inside the ball)
     * @param robustAfter examples still robust after it
     */
    public record Step(String attack, boolean skipped, int attacked, int broken, int robustAfter) {
    }

    /** Share of examples classified correctly clean. */
    public double cleanAccuracy() {
        return share(count(clean));
    }

    /** Share of examples still robust after every attack. */
    public double robustAccuracy() {
        return share(count(robust));
    }

    /** Share of examples still robust after step {@code index}. */
    public double robustAccuracyAfter(int index) {
        return share(steps.get(index).robustAfter());
    }

    /** The report as lines for a log or a terminal. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "autoattack %s on %d examples", version, total));
        lines.add(String.format(Locale.ROOT, "clean accuracy: %.2f%%", 100 * cleanAccuracy()));
        for (Step step : steps) {
            if (step.skipped()) {
                continue;
            }
            lines.add(String.format(Locale.ROOT, "robust accuracy after %s: %.2f%% (%d of %d attacked points broken)",
                    step.attack(), 100 * share(step.robustAfter()), step.broken(), step.attacked()));
        }
        lines.addAll(skipped);
        lines.add(String.format(Locale.ROOT, "robust accuracy: %.2f%%", 100 * robustAccuracy()));
        for (String warning : warnings) {
            lines.add("warning: " + warning);
        }
        return lines;
    }

    private double share(int count) {
        return total == 0 ? 0 : (double) count / total;
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }
}
