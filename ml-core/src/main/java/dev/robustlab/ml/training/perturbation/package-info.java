/**
 * Weight perturbation around any training objective: AWP (Wu et al., "Adversarial Weight Perturbation Helps Robust
 * Generalization", NeurIPS 2020) and RWP (Yu et al., "Robust Weight Perturbation for Adversarial Training", IJCAI
 * 2022). {@link dev.robustlab.ml.training.perturbation.WeightPerturbation} finds the perturbation of a batch,
 * configured by a {@link dev.robustlab.ml.training.perturbation.WeightPerturbationConfig}; the training step's
 * gradient is taken at the perturbed weights, which
 * {@link dev.robustlab.ml.training.perturbation.PerturbedWeights} then restores exactly before the optimizer step.
 */
package dev.robustlab.ml.training.perturbation;
