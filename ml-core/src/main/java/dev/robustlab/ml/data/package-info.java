/**
 * Datasets: labelled examples held in memory, the generated {@code toy-circles} study of the PIAT paper, and the
 * factory that turns a {@link dev.robustlab.contracts.spec.DatasetSpec} into train and test splits.
 */
package dev.robustlab.ml.data;
