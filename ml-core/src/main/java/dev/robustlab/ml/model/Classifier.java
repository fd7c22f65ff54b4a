package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.List;
import java.util.Objects;

/**
 * A classifier f: inputs {@code (B, inputShape...)} in [0,1] → logits {@code (B, classes)}: an initialised DJL
 * {@link Block} together with the manager that owns its parameters. Closing it frees the parameters.
 *
 * <p>Parameters are updated in place (optimizer steps, interpolation), never replaced: the parameter store caches
 * the arrays it hands to the block.
 */
public final class Classifier implements AutoCloseable {
    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final String description;
    private final Shape inputShape;
    private final int classes;

    private Classifier(Block block, NDManager manager, String description, Shape inputShape, int classes) {
        this.block = block;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.description = description;
        this.inputShape = inputShape;
        this.classes = classes;
    }

    /**
     * Wraps an initialised block.
     *
     * @param block       initialised, its parameters owned by {@code manager}
     * @param manager     owns the parameters; closed with this classifier
     * @param description a stable description of the architecture, written into checkpoints
     * @param inputShape  shape of one input
     * @param classes     number of logits
     */
    public static Classifier of(Block block, NDManager manager, String description, Shape inputShape, int classes) {
        Objects.requireNonNull(block, "block");
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("block is not initialised");
        }
        return new Classifier(block, Objects.requireNonNull(manager, "manager"), description, inputShape, classes);
    }

    /**
     * Logits of {@code x}, in {@code x}'s manager.
     *
     * @param x        inputs {@code (B, inputShape...)}
     * @param training whether layers such as BatchNorm and dropout run in training mode (a TorchScript classifier
     *                 runs in evaluation mode only and refuses {@code true})
     * @return logits {@code (B, classes)}
     */
    public NDArray logits(NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /** All parameters, in the block's order (running statistics included). */
    public List<Parameter> parameters() {
        return block.getParameters().values();
    }

    /** The underlying block. */
    public Block block() {
        return block;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** A stable description of the architecture, e.g. {@code mlp(hidden=64)}. */
    public String description() {
        return description;
    }

    /** Shape of one input. */
    public Shape inputShape() {
        return inputShape;
    }

    /** Number of classes. */
    public int classes() {
        return classes;
    }

    @Override
    public void close() {
        manager.close();
    }
}
