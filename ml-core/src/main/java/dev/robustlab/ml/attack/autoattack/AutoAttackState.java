package dev.robustlab.ml.attack.autoattack;

import java.util.List;

/**
 * Where an AutoAttack run on one batch stands after some of its components: enough to resume it with
 * {@link AutoAttack#resume} after an interruption (the reference's resumable state). Plain data: a caller may
 * persist it as it likes.
 *
 * @param version     the AutoAttack version
 * @param components  the component ids, in order, skipped ones included
 * @param completed   how many components have run (or been skipped)
 * @param classes     the number of classes the model outputs
 * @param clean       per example, whether it is classified correctly clean
 * @param robust      per example, whether it is still robust
 * @param adversarial the adversarial examples so far, {@code (B, ...)} row-major; x where nothing broke the example
 * @param steps       the report's steps of the completed components
 * @param skipped     the report's skipped lines so far
 * @param warnings    the sanity-check warnings so far
 */
public record AutoAttackState(String version, List<String> components, int completed, int classes, boolean[] clean,
                              boolean[] robust, float[] adversarial, List<AutoAttackReport.Step> steps,
                              List<String> skipped, List<String> warnings) {

    /** A deep copy: arrays cloned, lists made unmodifiable. */
    public AutoAttackState copy() {
        return new AutoAttackState(version, List.copyOf(components), completed, classes, clean.clone(),
                robust.clone(), adversarial.clone(), List.copyOf(steps), List.copyOf(skipped),
                List.copyOf(warnings));
    }
}
