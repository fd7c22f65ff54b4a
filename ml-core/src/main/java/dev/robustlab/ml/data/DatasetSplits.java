package dev.robustlab.ml.data;

/**
 * The train and test splits of a dataset.
 *
 * @param train examples to train on
 * @param test  held-out examples to evaluate on
 */
public record DatasetSplits(LabeledExamples train, LabeledExamples test) {
}
