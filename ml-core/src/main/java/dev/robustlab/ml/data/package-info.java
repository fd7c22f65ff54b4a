/**
 * Datasets: labelled examples held in memory, the generated {@code toy-circles} study of the PIAT paper, the factory
 * that turns a {@link dev.robustlab.contracts.spec.DatasetSpec} into train and test splits, and the readers of the
 * image datasets' published files ({@link dev.robustlab.ml.data.ImageDatasets}: Fashion-MNIST, CIFAR-10/100, SVHN),
 * read from a data directory by {@link dev.robustlab.ml.data.Datasets}, and the augmentation of training batches
 * ({@link dev.robustlab.ml.data.Augmentation}: random crop with zero padding, horizontal flip).
 */
package dev.robustlab.ml.data;
