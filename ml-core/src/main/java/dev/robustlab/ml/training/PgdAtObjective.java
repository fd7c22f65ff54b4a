package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

/**
 * {@code pgd-at} (Madry et al., ICLR 2018): L = mean_i CE(f(x'_i), y_i), x' = PGD-K on the cross-entropy from a
 * uniform random start in B_ε(x) ∩ [0,1]^d, crafted with the model in inference mode and trained on in training
 * mode. The papers' default is PGD-10 with α = ε/4.
 */
public final class PgdAtObjective implements TrainingObjective {
    private final Pgd attack;
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    /** @param attack the training attack (cross-entropy PGD) */
    public PgdAtObjective(Pgd attack) {
        this.attack = attack;
    }

    @Override
    public String id() {
        return TrainingSpec.PGD_AT;
    }

    @Override
    public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return new NDList(attack.perturb(model, x, labels, random));
    }

    @Override
    public Value loss(Classifier model, NDList prepared, NDArray labels) {
        NDArray logits = model.logits(prepared.get(0), true);
        return new Value(crossEntropy.mean(logits, labels), logits);
    }
}
