/**
 * Datasets: labelled examples held in memory, the generated {@code toy-circles} study of the PIAT paper, the factory
 * that turns a {@link dev.robustlab.contracts.spec.DatasetSpec} into train and test splits, and the readers of the
 * image datasets' published files ({@link dev.robustlab.ml.data.ImageDatasets}: Fashion-MNIST, CIFAR-10/100, SVHN).
 */
package dev.robustlab.ml.data;
