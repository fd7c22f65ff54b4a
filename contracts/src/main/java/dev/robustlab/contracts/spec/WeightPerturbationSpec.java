package dev.robustlab.contracts.spec;

import java.util.List;

/**
 * Adversarial weight perturbation around any training method (../shared/METHODS.md):
 * <ul>
 *   <li>{@code awp} (Wu et al. 2020): each layer's weights w_l are perturbed by v_l with ‖v_l‖ ≤ γ·‖w_l‖, found by
 *       {@code steps} ascent steps on the method's loss; the step is trained at w + v and the perturbation is
 *       removed afterwards. Defaults γ = 0.01 (the AT setting; the paper uses 0.005 with TRADES), 1 step.</li>
 *   <li>{@code rwp} (Yu et al. 2022): AWP computed on the examples whose adversarial cross-entropy is below
 *       {@code lossThreshold} only. Defaults γ = 0.01, 10 steps, threshold 1.7.</li>
 *   <li>{@code none}: no perturbation (the default); the other fields must then be left out.</li>
 * </ul>
 *
 * @param type          {@code none}, {@code awp} or {@code rwp}
 * @param gamma         relative size γ of the perturbation per layer
 * @param steps         ascent steps that find the perturbation
 * @param lossThreshold RWP's threshold on the adversarial cross-entropy; {@code rwp} only
 */
public record WeightPerturbationSpec(String type, Double gamma, Integer steps, Double lossThreshold) {
    public static final String NONE = "none";
    public static final String AWP = "awp";
    public static final String RWP = "rwp";
    /** Every type, in the order they are listed to users. */
    public static final List<String> TYPES = List.of(NONE, AWP, RWP);
    static final double DEFAULT_GAMMA = 0.01;
    static final int AWP_STEPS = 1;
    static final int RWP_STEPS = 10;
    static final double RWP_LOSS_THRESHOLD = 1.7;

    /** Whether a perturbation is applied at all. */
    public boolean enabled() {
        return AWP.equals(type) || RWP.equals(type);
    }

    WeightPerturbationSpec withDefaults() {
        String t = type == null ? NONE : type;
        return switch (t) {
            case AWP -> new WeightPerturbationSpec(t, gamma == null ? DEFAULT_GAMMA : gamma,
                    steps == null ? AWP_STEPS : steps, lossThreshold);
            case RWP -> new WeightPerturbationSpec(t, gamma == null ? DEFAULT_GAMMA : gamma,
                    steps == null ? RWP_STEPS : steps, lossThreshold == null ? RWP_LOSS_THRESHOLD : lossThreshold);
            default -> new WeightPerturbationSpec(t, gamma, steps, lossThreshold);
        };
    }
}
