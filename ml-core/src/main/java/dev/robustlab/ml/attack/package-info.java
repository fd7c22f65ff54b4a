/**
 * Adversarial attacks: an {@link dev.robustlab.ml.attack.Attack} turns clean inputs into adversarial ones inside an
 * l∞ ball intersected with the input box [0,1]. {@link dev.robustlab.ml.attack.Pgd} is projected gradient ascent
 * on a {@link dev.robustlab.ml.loss.LogitLoss}; {@link dev.robustlab.ml.attack.Attacks} maps the stable attack ids
 * ({@code pgd-20}, {@code cw-inf}) onto configured attacks.
 *
 * <p>Every attack runs the model in inference mode ({@code training=false}: BatchNorm uses its running statistics
 * and does not update them) with its parameters frozen ({@link dev.robustlab.ml.attack.FrozenParameters}), so that
 * no parameter gradient leaks into the next optimizer step, and differentiates with respect to a fresh leaf each
 * step, its temporaries in a sub-manager that closes with the step.
 */
package dev.robustlab.ml.attack;
