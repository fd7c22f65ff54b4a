/**
 * Models: the {@link dev.robustlab.ml.model.Classifier} every attack and objective works on (a DJL block with its
 * parameters and the manager that owns them), the architectures a {@link dev.robustlab.contracts.spec.ModelSpec}
 * names, and seeded initialisers.
 */
package dev.robustlab.ml.model;
