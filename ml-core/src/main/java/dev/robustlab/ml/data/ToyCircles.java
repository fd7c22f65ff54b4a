package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.ml.engine.Seeds;

import java.util.SplittableRandom;

/**
 * The {@code toy-circles} dataset: the PIAT paper's toy study (seed 001, section III-A), two concentric circles in
 * 3-D, one per class. The paper's equations were lost in extraction; this is a reconstruction whose parameters are
 * chosen so that l∞ adversarial training with ε between 0.05 and 0.1 is possible but not trivial.
 *
 * <p>Example i has label y = i mod 2 (class 0 the inner circle, class 1 the outer one; the splits are balanced)
 * and features
 * <pre>
 *   φ ~ U[0, 2π),   ρ = r_y + σ_r·n₁,   n₁, n₂ ~ N(0, 1)
 *   x₁ = clip(c + ρ·cos φ),   x₂ = clip(c + ρ·sin φ),   x₃ = clip(c + σ_z·n₂)
 * </pre>
 * with centre c = 0.5 and clip to [0,1], so that inputs live in the unit cube like images. The third feature is a
 * noisy height that carries no class information: the model has to learn to ignore it, and the adversary may
 * spend its budget on it too.
 *
 * <p>Defaults ({@link #defaults()}): r₀ = 0.12, r₁ = 0.44, σ_r = 0.04, σ_z = 0.10. The ideal classifier's boundary
 * is the circle of radius (r₀ + r₁)/2 = 0.28. A point at radius ρ and angle φ is about |ρ − 0.28| / (|cos φ| +
 * |sin φ|) away from it in l∞: for the circles' mean radii 0.16 on the axes and 0.113 on the diagonals, less for
 * the noisy points. So ε = 0.05 leaves a robust margin almost everywhere (PGD-AT reaches about 98% PGD-20
 * accuracy), ε = 0.1 can only be resisted on part of each circle (about 75–83% after 20 epochs of PGD-AT at
 * lr 0.5, with the epoch-to-epoch oscillation the paper shows, and clean accuracy near 100%), and ε ≥ 0.16 leaves
 * no robust point at the mean radii. The outer circle reaches the faces of the cube only in its noise tail, where
 * the clip flattens it.
 *
 * @param innerRadius r₀, radius of class 0
 * @param outerRadius r₁, radius of class 1
 * @param radialNoise σ_r, standard deviation of the radius
 * @param heightNoise σ_z, standard deviation of the third feature around the centre
 */
public record ToyCircles(double innerRadius, double outerRadius, double radialNoise, double heightNoise) {
    /** Number of features. */
    public static final int FEATURES = 3;
    /** Number of classes. */
    public static final int CLASSES = DatasetSpec.classes(DatasetSpec.TOY_CIRCLES).orElseThrow();
    private static final double CENTRE = 0.5;

    /** The parameters {@code toy-circles} uses. */
    public static ToyCircles defaults() {
        return new ToyCircles(0.12, 0.44, 0.04, 0.10);
    }

    /** {@code size} examples drawn from {@code random}. */
    public LabeledExamples generate(int size, SplittableRandom random) {
        float[] x = new float[size * FEATURES];
        int[] y = new int[size];
        for (int i = 0; i < size; i++) {
            int label = i % 2;
            double phi = 2 * StrictMath.PI * random.nextDouble();
            double rho = (label == 0 ? innerRadius : outerRadius) + radialNoise * Seeds.gaussian(random);
            double height = heightNoise * Seeds.gaussian(random);
            x[i * FEATURES] = clip(CENTRE + rho * StrictMath.cos(phi));
            x[i * FEATURES + 1] = clip(CENTRE + rho * StrictMath.sin(phi));
            x[i * FEATURES + 2] = clip(CENTRE + height);
            y[i] = label;
        }
        return new LabeledExamples(x, y, new Shape(FEATURES), CLASSES);
    }

    private static float clip(double v) {
        return (float) Math.min(1.0, Math.max(0.0, v));
    }
}
