/**
 * Models: the {@link dev.robustlab.ml.model.Classifier} every attack and objective works on (a DJL block with its
 * parameters and the manager that owns them), the architectures a {@link dev.robustlab.contracts.spec.ModelSpec}
 * names ({@code mlp}, {@code small-cnn}; {@link dev.robustlab.ml.model.Models}), seeded initialisers, and
 * classifiers loaded from TorchScript files for evaluation ({@link dev.robustlab.ml.model.TorchScriptModels}).
 */
package dev.robustlab.ml.model;
