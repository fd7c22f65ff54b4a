package dev.robustlab.contracts.spec;

import java.util.List;

/**
 * The learning rate as a function of the (fractional) epoch e, given by knots (epoch, rate):
 * <ul>
 *   <li>{@code constant}: the optimizer's base rate throughout; knots are not allowed;</li>
 *   <li>{@code piecewise-constant}: the rate of the last knot with knot.epoch ≤ e (the base rate before the first
 *       knot), e.g. ST's ×0.1 at epoch 80 and ×0.01 at 100;</li>
 *   <li>{@code piecewise-linear}: the base rate until the first knot, then linear between knots, then the last
 *       knot's rate, e.g. PIAT's 0.01 until 60, 0.001 at 90, 0.0001 at 120.</li>
 * </ul>
 *
 * @param type  schedule id
 * @param knots knots in increasing epoch order
 */
public record LearningRateSchedule(String type, List<Knot> knots) {
    public static final String CONSTANT = "constant";
    public static final String PIECEWISE_CONSTANT = "piecewise-constant";
    public static final String PIECEWISE_LINEAR = "piecewise-linear";

    /** One knot of the schedule. */
    public record Knot(Double epoch, Double learningRate) {
    }

    LearningRateSchedule withDefaults() {
        return new LearningRateSchedule(type == null ? CONSTANT : type, knots == null ? List.of() : knots);
    }

    /** The rate at fractional epoch {@code epoch} (0-based, e.g. 2.5 is half way through the third epoch). */
    public double rateAt(double epoch, double baseRate) {
        if (CONSTANT.equals(type) || knots.isEmpty() || epoch < knots.get(0).epoch()) {
            return baseRate;
        }
        for (int i = knots.size() - 1; i >= 0; i--) {
            Knot knot = knots.get(i);
            if (epoch >= knot.epoch()) {
                if (PIECEWISE_LINEAR.equals(type) && i + 1 < knots.size()) {
                    Knot next = knots.get(i + 1);
                    double share = (epoch - knot.epoch()) / (next.epoch() - knot.epoch());
                    return knot.learningRate() + share * (next.learningRate() - knot.learningRate());
                }
                return knot.learningRate();
            }
        }
        return baseRate;
    }
}
