package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.Seeds;

import java.util.SplittableRandom;

/**
 * The norm of a threat model's ball B_ε(x) = {x' : ‖x' − x‖ ≤ ε}, and its geometry: the steepest ascent direction
 * of a gradient and the projection back into B_ε(x) ∩ [0,1]^d. Norms are taken per example, over all features.
 */
public enum Norm {
    /** ‖v‖∞ = max_j |v_j|: steepest ascent is sign(g), projection is a clip per coordinate. */
    LINF("linf") {
        @Override
        NDArray length(NDArray v) {
            // PyTorch's max reduces one axis at a time: flatten the features first, then restore (B, 1, …, 1)
            long[] kept = new long[v.getShape().dimension()];
            java.util.Arrays.fill(kept, 1L);
            kept[0] = v.getShape().get(0);
            return v.abs().reshape(kept[0], -1).max(new int[] {1}, true).reshape(new Shape(kept));
        }

        @Override
        NDArray dualLength(NDArray v) {
            return v.abs().sum(Batches.featureAxes(v), true);
        }

        @Override
        NDArray steepestAscent(NDArray gradient) {
            return gradient.sign();
        }

        @Override
        NDArray project(NDArray candidate, NDArray x, double epsilon) {
            return candidate.sub(x).clip(-epsilon, epsilon).add(x).clip(0, 1);
        }

        @Override
        NDArray uniformStart(NDArray x, double epsilon, SplittableRandom random, NDManager manager) {
            NDArray noise = Batches.uniform(x.getShape(), -epsilon, epsilon, random, manager);
            return noise.add(x).clip(0, 1);
        }
    },
    /** ‖v‖₂ = (Σ_j v_j²)^½: steepest ascent is g/‖g‖₂, projection rescales δ onto the sphere, then clips to [0,1]. */
    L2("l2") {
        @Override
        NDArray length(NDArray v) {
            return v.square().sum(Batches.featureAxes(v), true).sqrt();
        }

        @Override
        NDArray dualLength(NDArray v) {
            return length(v);
        }

        @Override
        NDArray steepestAscent(NDArray gradient) {
            return normalize(gradient);
        }

        @Override
        NDArray project(NDArray candidate, NDArray x, double epsilon) {
            NDArray delta = candidate.sub(x);
            NDArray length = delta.square().sum(Batches.featureAxes(delta), true).sqrt();
            NDArray factor = length.add(TINY).pow(-1).mul(epsilon).minimum(1f);
            return delta.mul(factor).add(x).clip(0, 1);
        }

        @Override
        NDArray uniformStart(NDArray x, double epsilon, SplittableRandom random, NDManager manager) {
            // torchattacks' PGDL2: a Gaussian direction, a radius r·ε with r ~ U(0, 1), clipped to the box
            Shape shape = x.getShape();
            int batch = Math.toIntExact(shape.get(0));
            int features = Math.toIntExact(shape.size() / Math.max(batch, 1));
            float[] noise = new float[batch * features];
            for (int i = 0; i < batch; i++) {
                double squares = 0;
                for (int j = 0; j < features; j++) {
                    double g = Seeds.gaussian(random);
                    noise[i * features + j] = (float) g;
                    squares += g * g;
                }
                double scale = random.nextDouble() * epsilon / Math.max(Math.sqrt(squares), 1e-12);
                for (int j = 0; j < features; j++) {
                    noise[i * features + j] *= (float) scale;
                }
            }
            return manager.create(noise, shape).add(x).clip(0, 1);
        }
    };

    private static final float TINY = 1e-12f;

    private final String id;

    Norm(String id) {
        this.id = id;
    }

    /** The stable id: {@code linf} or {@code l2}. */
    public String id() {
        return id;
    }

    /** The norm with this id. @throws IllegalArgumentException on an unknown id */
    public static Norm of(String id) {
        for (Norm norm : values()) {
            if (norm.id.equals(id)) {
                return norm;
            }
        }
        throw new IllegalArgumentException("unknown norm '" + id + "'; known: linf, l2");
    }

    /** ‖v‖ per example, shape {@code (B, 1, …, 1)}; in v's manager. */
    abstract NDArray length(NDArray v);

    /** The dual norm ‖v‖_* per example (l1 for l∞, l2 for l2), shape {@code (B, 1, …, 1)}; in v's manager. */
    abstract NDArray dualLength(NDArray v);

    /** v/‖v‖ per example (0 stays 0); in v's manager. */
    NDArray normalize(NDArray v) {
        return v.div(length(v).add(TINY));
    }

    /** The unit-norm direction of steepest ascent of a linear function with this gradient; in its manager. */
    abstract NDArray steepestAscent(NDArray gradient);

    /** A point of B_ε(x) ∩ [0,1]^d close to {@code candidate} (for l∞ the exact projection); in its manager. */
    abstract NDArray project(NDArray candidate, NDArray x, double epsilon);

    /** PGD's random start: a random point of B_ε(x), clipped to [0,1]^d; in {@code manager}. */
    abstract NDArray uniformStart(NDArray x, double epsilon, SplittableRandom random, NDManager manager);
}
