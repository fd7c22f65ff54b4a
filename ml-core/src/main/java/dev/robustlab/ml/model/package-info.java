/**
 * Models: the {@link dev.robustlab.ml.model.Classifier} every attack and objective works on (a DJL block with its
 * parameters and the manager that owns them), the architectures a {@link dev.robustlab.contracts.spec.ModelSpec}
 * names ({@code mlp}, {@code small-cnn}, and for 3×32×32 images {@code preact-resnet18}, {@code resnet18},
 * {@code wrn}; {@link dev.robustlab.ml.model.Models}), the input normalisation layer with each dataset's channel
 * statistics ({@link dev.robustlab.ml.model.Normalization}), seeded initialisers, and
 * classifiers loaded from TorchScript files for evaluation ({@link dev.robustlab.ml.model.TorchScriptModels}).
 */
package dev.robustlab.ml.model;
