package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

/** {@code standard}: clean training, L = mean_i CE(f(x_i), y_i). */
public final class StandardObjective implements TrainingObjective {
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    @Override
    public String id() {
        return TrainingSpec.STANDARD;
    }

    @Override
    public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return new NDList(x);
    }

    @Override
    public Value loss(Classifier model, NDList prepared, NDArray labels) {
        NDArray logits = model.logits(prepared.get(0), true);
        return new Value(crossEntropy.mean(logits, labels), logits);
    }
}
