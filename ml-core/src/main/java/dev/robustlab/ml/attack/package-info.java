/**
 * Adversarial attacks: an {@link dev.robustlab.ml.attack.Attack} turns clean inputs into adversarial ones inside a
 * ball B_ε(x) of a {@link dev.robustlab.ml.attack.Norm} (l∞ or l2) intersected with the input box [0,1], and
 * {@link dev.robustlab.ml.attack.Attack#run} also says per example whether the classifier is wrong on the result
 * ({@link dev.robustlab.ml.attack.AttackResult}).
 *
 * <ul>
 * <li>{@link dev.robustlab.ml.attack.Fgsm}, {@link dev.robustlab.ml.attack.IFgsm} (BIM) and
 *     {@link dev.robustlab.ml.attack.MiFgsm}: sign-gradient attacks, l∞ (FGSM and I-FGSM run as a
 *     {@link dev.robustlab.ml.attack.Pgd} without random start);</li>
 * <li>{@link dev.robustlab.ml.attack.Pgd}: projected gradient ascent on a {@link dev.robustlab.ml.loss.LogitLoss},
 *     l∞ or l2, random start, restarts;</li>
 * <li>{@link dev.robustlab.ml.attack.Apgd} (APGD-CE, APGD-DLR) and {@link dev.robustlab.ml.attack.ApgdTargeted}
 *     (APGD-T): Croce and Hein's step-size-free PGD, the white-box part of AutoAttack (with EOT for randomised
 *     models);</li>
 * <li>{@link dev.robustlab.ml.attack.Square}: the score-based black-box Square attack, l∞ or l2, the
 *     gradient-free part of AutoAttack;</li>
 * <li>{@link dev.robustlab.ml.attack.Fab} (FAB, FAB-T): the fast adaptive boundary attack, l∞ or l2, the
 *     minimum-norm part of AutoAttack, and {@link dev.robustlab.ml.attack.CwL2}: Carlini and Wagner's l2
 *     optimisation attack; both count an example as broken only when the closest adversarial they find lies within
 *     ε;</li>
 * <li>{@link dev.robustlab.ml.attack.autoattack.AutoAttack}: the ensemble, a composition of the above;</li>
 * <li>{@link dev.robustlab.ml.attack.Attacks} maps the stable evaluation ids ({@code pgd-20}, {@code cw-inf},
 *     {@code fab-t}, {@code cw-l2}…) and a norm onto configured attacks.</li>
 * </ul>
 *
 * <p>Every attack runs the model in inference mode ({@code training=false}: BatchNorm uses its running statistics
 * and does not update them) with its parameters frozen ({@link dev.robustlab.ml.attack.FrozenParameters}), so that
 * no parameter gradient leaks into the next optimizer step, and differentiates with respect to a fresh leaf each
 * step, its temporaries in a sub-manager that closes with the step: live arrays stay flat across iterations, not
 * only across calls. Random starts are drawn in Java from the {@link java.util.SplittableRandom} the caller passes
 * (see {@link dev.robustlab.ml.engine.Seeds}), so a seed fixes the result. Square needs no gradient: it only
 * queries logits, builds its candidates in Java arrays and opens one short-lived sub-manager per query.
 *
 * <p>An array temporarily attached to a manager ({@code tempAttach}) must not be temporarily attached to a second
 * one: the first manager then forgets to give it back and closes it with itself. Attacks attach the caller's
 * inputs once, at their top level, and never again.
 */
package dev.robustlab.ml.attack;
