package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.ml.model.Classifier;

/** Row selection for {@link TrainingObjective#maskedLoss}'s default. */
final class ObjectiveRows {
    private ObjectiveRows() {
    }

    /**
     * The objective's loss on the selected rows alone, times (selected count)/B: (1/B)·Σ_{i selected} ℓ_i when the
     * per-example terms do not depend on the other rows (no BatchNorm). The gathered rows live in the managers of
     * the arrays they come from; the returned logits are those of the selected rows.
     */
    static TrainingObjective.Value maskedBySubset(TrainingObjective objective, Classifier model, NDList prepared,
                                                  NDArray labels, boolean[] selected) {
        long[] rows = selectedRows(selected, labels);
        NDArray index = labels.getManager().create(rows);
        NDList subset = new NDList(prepared.size());
        for (NDArray array : prepared) {
            subset.add(array.get(index));
        }
        NDArray subsetLabels = labels.get(index);
        TrainingObjective.Value value = objective.loss(model, subset, subsetLabels);
        NDArray scaled = value.loss().mul((double) rows.length / selected.length);
        return new TrainingObjective.Value(scaled, value.logits());
    }

    /** The indices i with {@code selected[i]}, ascending; checks the flags against the batch. */
    static long[] selectedRows(boolean[] selected, NDArray labels) {
        long batch = labels.getShape().get(0);
        if (selected.length != batch) {
            throw new IllegalArgumentException("selected has " + selected.length + " flags for a batch of " + batch);
        }
        int count = 0;
        for (boolean flag : selected) {
            count += flag ? 1 : 0;
        }
        if (count == 0) {
            throw new IllegalArgumentException("selected must select at least one example");
        }
        long[] rows = new long[count];
        for (int i = 0, k = 0; i < selected.length; i++) {
            if (selected[i]) {
                rows[k++] = i;
            }
        }
        return rows;
    }
}
