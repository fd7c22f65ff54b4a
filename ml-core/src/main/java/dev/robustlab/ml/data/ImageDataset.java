package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;

import java.nio.file.Path;

/** The files of one image dataset on disk: how to count and read the examples of a split. */
interface ImageDataset {
    /** Shape of one example, channels first. */
    Shape exampleShape();

    /** Number of classes. */
    int classes();

    /** What to do when the files are missing or damaged: the layout expected and where to get the files. */
    String remedy();

    /** Number of examples of {@code split} ({@code train} or {@code test}) in {@code directory}, from the headers. */
    int size(Path directory, String split);

    /**
     * Examples {@code [offset, offset + count)} of {@code split}; {@code count} {@link ImageDatasets#ALL} reads to the
     * end. Only the range is kept in memory.
     */
    LabeledExamples read(Path directory, String split, int offset, int count);
}
