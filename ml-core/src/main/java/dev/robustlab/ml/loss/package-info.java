/**
 * Losses on logits, per example: what training objectives minimise (as a batch mean) and attacks maximise (as a
 * batch sum, so that each example's gradient is its own): cross-entropy, the CW margin and the difference of logits
 * ratio ({@link dev.robustlab.ml.loss.DlrLoss}, untargeted and targeted); the KL divergence between softmax outputs
 * ({@link dev.robustlab.ml.loss.KlDivergence}, the one KL of TRADES, MART, MAIL, CFA and Squeeze Training), Squeeze
 * Training's symmetric KL, Jensen-Shannon and squared l2 divergences
 * ({@link dev.robustlab.ml.loss.SoftmaxDivergences}), MART's boosted cross-entropy
 * ({@link dev.robustlab.ml.loss.BoostedCrossEntropy}) and MAIL's probabilistic margin
 * ({@link dev.robustlab.ml.loss.ProbabilisticMargin}).
 */
package dev.robustlab.ml.loss;
