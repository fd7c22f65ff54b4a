package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.ml.attack.FrozenParameters;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Tiny classifiers with given weights, and the loss gradients of objectives on them, for the objective tests. */
final class TinyModels {
    private TinyModels() {
    }

    /**
     * z = W2·tanh(W1·x + b1) + b2 (smooth everywhere, for finite differences), in {@code type}.
     *
     * @param w1 {@code (hidden, features)} row-major
     * @param w2 {@code (classes, hidden)} row-major
     */
    static Classifier tanhMlp(double[] w1, double[] b1, double[] w2, double[] b2, DataType type, NDManager parent) {
        int hidden = b1.length;
        int classes = b2.length;
        int features = w1.length / hidden;
        SequentialBlock block = new SequentialBlock()
                .add(linear(hidden, w1, b1))
                .add(Activation.tanhBlock())
                .add(linear(classes, w2, b2));
        NDManager manager = parent.newSubManager();
        block.initialize(manager, type, new Shape(1, features));
        return Classifier.of(block, manager, "tanh-mlp", new Shape(features), classes);
    }

    /** z = x: logits are the inputs (3 features, 3 classes), for values computed by hand. */
    static Classifier identity(NDManager parent) {
        return identity(3, parent);
    }

    /** z = x on {@code classes} features and classes, for values computed by hand. */
    static Classifier identity(int classes, NDManager parent) {
        double[] eye = new double[classes * classes];
        for (int k = 0; k < classes; k++) {
            eye[k * classes + k] = 1;
        }
        Linear block = linear(classes, eye, new double[classes]);
        NDManager manager = parent.newSubManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, classes));
        return Classifier.of(block, manager, "identity", new Shape(classes), classes);
    }

    /**
     * A loss of {@code inputs} and its gradient with respect to every parameter, flattened in parameter order. The
     * loss's arrays live in a sub-manager of the inputs' manager, closed here.
     */
    static Evaluation lossAndGradient(Classifier model, NDList inputs, Function<NDList, NDArray> loss) {
        double value;
        try (NDManager scope = inputs.get(0).getManager().newSubManager();
             GradientScope gradients = GradientScope.open()) {
            scope.tempAttachAll(inputs);
            NDArray target = loss.apply(inputs);
            DataType modelType = model.parameters().get(0).getArray().getDataType();
            if (target.getDataType() != modelType || target.getShape().dimension() != 0) {
                throw new AssertionError("the loss must be a 0-d " + modelType + ", got " + target.getShape() + " "
                        + target.getDataType());
            }
            gradients.backward(target);
            value = target.toType(DataType.FLOAT64, false).getDouble();
        }
        List<Double> gradient = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            NDArray g = parameter.getArray().getGradient();
            for (double v : g.toType(DataType.FLOAT64, false).toDoubleArray()) {
                gradient.add(v);
            }
            g.subi(g); // the engine accumulates: leave zeros for the next evaluation
        }
        return new Evaluation(value, gradient.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Central differences (L(θ + h·e_j) − L(θ − h·e_j)) / 2h for every parameter entry j of a FLOAT64 model, in the
     * order of {@link #lossAndGradient}; the parameters are restored afterwards.
     */
    static double[] finiteDifferences(Classifier model, NDList inputs, Function<NDList, NDArray> loss, double h) {
        List<Double> result = new ArrayList<>();
        try (FrozenParameters frozen = FrozenParameters.freeze(model);
             NDManager scratch = inputs.get(0).getManager().newSubManager()) {
            for (Parameter parameter : model.parameters()) {
                // a detached, flattened view shares the parameter's storage: index assignment changes it in place
                // (NDArray.set(Buffer) swaps the storage for a Java buffer and is not safe to repeat here)
                NDArray view = parameter.getArray().stopGradient();
                view.attach(scratch);
                NDArray flat = view.reshape(-1);
                flat.attach(scratch);
                double[] values = flat.toDoubleArray();
                for (int j = 0; j < values.length; j++) {
                    NDIndex entry = new NDIndex(j);
                    flat.set(entry, values[j] + h);
                    double plus = value(inputs, loss);
                    flat.set(entry, values[j] - h);
                    double minus = value(inputs, loss);
                    flat.set(entry, values[j]);
                    result.add((plus - minus) / (2 * h));
                }
                if (!Arrays.equals(values, parameter.getArray().toDoubleArray())) {
                    throw new AssertionError(parameter.getName() + " was not restored");
                }
            }
        }
        return result.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** (x, x') as objectives prepare them. */
    static NDList pair(NDArray clean, NDArray adversarial) {
        return AdversarialPair.of(clean, adversarial);
    }

    private static double value(NDList inputs, Function<NDList, NDArray> loss) {
        try (NDManager scope = inputs.get(0).getManager().newSubManager()) {
            scope.tempAttachAll(inputs);
            return loss.apply(inputs).getDouble();
        }
    }

    private static Linear linear(int units, double[] weight, double[] bias) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(fixed(weight), Parameter.Type.WEIGHT);
        linear.setInitializer(fixed(bias), Parameter.Type.BIAS);
        return linear;
    }

    private static Initializer fixed(double[] values) {
        return (NDManager manager, Shape shape, DataType type) -> {
            if (shape.size() != values.length) {
                throw new IllegalArgumentException("expected " + shape.size() + " values, got " + values.length);
            }
            NDArray doubles = manager.create(values, shape);
            if (type == DataType.FLOAT64) {
                // not toType(FLOAT64, true): for the same type it returns an alias of the Java buffer that closing
                // `doubles` would free
                return doubles;
            }
            NDArray typed = doubles.toType(type, false);
            doubles.close();
            return typed;
        };
    }

    /** A loss value and its parameter gradient. */
    record Evaluation(double loss, double[] gradient) {
    }
}
