package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.model.Classifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of {@code training/objective_losses.py}: a tiny tanh MLP's weights, a clean and an adversarial batch
 * with labels, and per case (method id and parameters) the loss and its parameter gradient as PyTorch computes them.
 */
record ObjectiveFixture(int batch, int features, int hidden, int classes, Map<String, double[]> arrays, long[] labels,
                        List<Case> cases) {

    /** One method with its parameters, and PyTorch's loss and gradient (W1, b1, W2, b2 flattened). */
    record Case(String method, Map<String, Double> parameters, double loss, double[] gradient) {
    }

    /** The folder of the script and its checked-in output. */
    static Path directory() {
        try {
            return Path.of(ObjectiveFixture.class.getResource("/training/objective_losses.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a file the script wrote. */
    static ObjectiveFixture read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] shape = null;
        Map<String, double[]> arrays = new HashMap<>();
        long[] labels = null;
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, double[]> gradients = new HashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "shape" -> shape = Arrays.stream(words, 1, words.length).mapToInt(Integer::parseInt).toArray();
                case "y" -> labels = Arrays.stream(words, 1, words.length).mapToLong(Long::parseLong).toArray();
                case "loss" -> losses.put(words[1] + " " + words[2], Double.parseDouble(words[3]));
                case "grad" -> gradients.put(words[1] + " " + words[2], doubles(words, 3));
                default -> arrays.put(words[0], doubles(words, 1));
            }
        }
        if (shape == null || labels == null || losses.isEmpty()) {
            throw new IllegalStateException(file + " lacks the shape, the labels or the losses");
        }
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, Double> loss : losses.entrySet()) {
            String[] key = loss.getKey().split(" ");
            Map<String, Double> parameters = new LinkedHashMap<>();
            for (String pair : key[1].split(",")) {
                String[] nameValue = pair.split("=");
                parameters.put(nameValue[0], Double.parseDouble(nameValue[1]));
            }
            double[] gradient = gradients.get(loss.getKey());
            if (gradient == null) {
                throw new IllegalStateException(file + " has no gradient for " + loss.getKey());
            }
            cases.add(new Case(key[0], parameters, loss.getValue(), gradient));
        }
        return new ObjectiveFixture(shape[0], shape[1], shape[2], shape[3], arrays, labels, cases);
    }

    /** The MLP in {@code type}. */
    Classifier model(DataType type, NDManager manager) {
        return TinyModels.tanhMlp(array("w1"), array("b1"), array("w2"), array("b2"), type, manager);
    }

    /** x {@code (B, features)} in {@code type}. */
    NDArray clean(DataType type, NDManager manager) {
        return manager.create(array("x"), new Shape(batch, features)).toType(type, false);
    }

    /** x' {@code (B, features)} in {@code type}. */
    NDArray adversarial(DataType type, NDManager manager) {
        return manager.create(array("x_adv"), new Shape(batch, features)).toType(type, false);
    }

    /** y {@code (B)} INT64. */
    NDArray labels(NDManager manager) {
        return manager.create(labels);
    }

    private double[] array(String name) {
        double[] values = arrays.get(name);
        if (values == null) {
            throw new IllegalStateException("the fixture lacks '" + name + "'");
        }
        return values;
    }

    private static double[] doubles(String[] words, int from) {
        return Arrays.stream(words, from, words.length).mapToDouble(Double::parseDouble).toArray();
    }
}
