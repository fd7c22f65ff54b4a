/**
 * AutoAttack (Croce &amp; Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", ICML 2020) as a composition: {@link dev.robustlab.ml.attack.autoattack.AutoAttack} runs a
 * list of {@link dev.robustlab.ml.attack.Attack}s in order, each only on the points every earlier one left robust,
 * and reports the robust accuracy after each ({@link dev.robustlab.ml.attack.autoattack.AutoAttackReport}). The
 * versions {@code standard}, {@code plus} and {@code rand} are built from the attacks this library has; a component
 * it lacks (FAB) is listed as skipped in the report and the log, never left out silently. The reference's sanity
 * checks (probabilities instead of logits, zero gradients, Square beating the white-box attacks, a randomised model)
 * live in {@link dev.robustlab.ml.attack.autoattack.SanityChecks} and end up as warnings in the report; the state to
 * resume an interrupted run is a small record, {@link dev.robustlab.ml.attack.autoattack.AutoAttackState}.
 */
package dev.robustlab.ml.attack.autoattack;
