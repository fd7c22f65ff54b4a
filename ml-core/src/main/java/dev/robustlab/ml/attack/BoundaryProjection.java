package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The step of {@link Fab}: the smallest perturbation, in l∞ or l2, that moves a point of the box onto a hyperplane
 * while staying in the box (Croce &amp; Hein, ICML 2020, section 3.1, the box-constrained projection), per row,
 * <pre>
 *   δ* = argmin ‖δ‖_p   subject to   ⟨w, t + δ⟩ = b,   t + δ ∈ [0,1]^d
 * </pre>
 * Write r = b − ⟨w, t⟩ for the change of ⟨w, ·⟩ that is needed. Every coordinate moves the way that helps,
 * δ_j = σ_j · a_j with σ_j = sign(r · w_j) and a_j ≥ 0, at most m_j = 1 − t_j (σ_j &gt; 0) or t_j (σ_j &lt; 0), and
 * contributes |w_j| a_j to |r|. The optimum has one parameter τ ≥ 0 (KKT):
 * <pre>
 *   l∞:  a_j = min(τ, m_j)          (every free coordinate moves by the same τ)
 *   l2:  a_j = min(τ · |w_j|, m_j)  (the free coordinates move along w)
 *   G(τ) = Σ_j |w_j| a_j(τ)  is piecewise linear, non-decreasing, and τ solves G(τ) = |r|
 * </pre>
 * The breakpoints of G are τ_j = m_j (l∞) or m_j/|w_j| (l2). Sorted ascending, the first k coordinates are
 * saturated on the segment that holds τ, so with S_k = Σ_{i&lt;k} |w_(i)| m_(i) and R_k = Σ_{i≥k} |w_(i)| c_(i)
 * (c = 1 for l∞, |w| for l2), G(τ_(k)) = S_k + τ_(k) R_k, k* = #{k : G(τ_(k)) &lt; |r|} and τ = (|r| − S_k*)/R_k*.
 * When the hyperplane does not meet the box (k* = d) the result is the box corner δ_j = σ_j m_j, the point of the
 * box closest to it along ⟨w, ·⟩, as in fra31/auto-attack's {@code projection_linf}/{@code projection_l2}.
 * Coordinates with w_j = 0 do not move. One sort per row and O(d) arithmetic, all on the engine, in float32.
 */
final class BoundaryProjection {
    /** The breakpoint of a coordinate that cannot help (w_j = 0 in l2): after every other one. */
    private static final float NEVER = 1e30f;
    private static final float TINY = 1e-12f;

    private BoundaryProjection() {
    }

    /**
     * δ* for every row.
     *
     * @param norm    l∞ or l2
     * @param points  t {@code (N, d)} in [0,1]
     * @param normals w {@code (N, d)}
     * @param offsets b {@code (N)}
     * @return δ* {@code (N, d)}, in the points' manager
     */
    static NDArray project(Norm norm, NDArray points, NDArray normals, NDArray offsets) {
        NDManager home = points.getManager();
        try (NDManager scope = home.newSubManager()) {
            NDArray t = points.stopGradient();
            NDArray w = normals.stopGradient();
            NDArray b = offsets.stopGradient();
            t.attach(scope);
            w.attach(scope);
            b.attach(scope);
            NDArray needed = b.reshape(-1, 1).sub(w.mul(t).sum(new int[] {1}, true));
            NDArray direction = w.sign().mul(needed.sign());
            NDArray room = NDArrays.where(direction.gt(0), t.neg().add(1f), t).maximum(0f);
            NDArray weight = w.abs();
            NDArray rate = norm == Norm.LINF ? scope.ones(w.getShape()) : weight;
            NDArray breakpoint = NDArrays.where(rate.gt(0), room.div(rate.maximum(TINY)),
                    scope.full(w.getShape(), NEVER));

            NDArray order = breakpoint.argSort(1, true);
            NDArray sortedBreakpoint = breakpoint.gather(order, 1);
            NDArray saturatedGain = weight.mul(room).gather(order, 1);
            NDArray freeSlope = weight.mul(rate).gather(order, 1);
            // S_k: gain of the coordinates before k, all at their bound; R_k: slope of those from k on
            NDArray saturatedBefore = saturatedGain.cumSum(1).sub(saturatedGain);
            NDArray slopeFrom = freeSlope.sum(new int[] {1}, true).sub(freeSlope.cumSum(1).sub(freeSlope))
                    .maximum(0f);
            NDArray gainAtBreakpoint = saturatedBefore.add(sortedBreakpoint.mul(slopeFrom));
            NDArray goal = needed.abs();
            NDArray below = gainAtBreakpoint.lt(goal).toType(DataType.INT64, false).sum(new int[] {1}, true);
            long features = w.getShape().get(1);
            NDArray reachable = below.lt(features);
            NDArray segment = below.minimum(features - 1);
            NDArray tau = goal.sub(saturatedBefore.gather(segment, 1))
                    .div(slopeFrom.gather(segment, 1).maximum(TINY)).maximum(0f);
            NDArray amount = NDArrays.where(reachable.broadcast(w.getShape()), rate.mul(tau).minimum(room), room);
            NDArray delta = direction.mul(amount);
            delta.attach(home);
            return delta;
        }
    }
}
