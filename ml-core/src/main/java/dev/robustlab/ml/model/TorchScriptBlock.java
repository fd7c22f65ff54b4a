package dev.robustlab.ml.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.io.DataOutputStream;

/**
 * A TorchScript module in evaluation mode whose forward pass still records a graph, so that attacks can
 * differentiate with respect to the input.
 *
 * <p>DJL's {@link PtSymbolBlock#forward} with {@code training = false} runs the module under libtorch's inference
 * mode, which records no graph, and with {@code training = true} switches the module to {@code train()}, where
 * BatchNorm normalises with batch statistics (and updates its running ones) and dropout is active. Neither is what an
 * attack needs. This block keeps the module in {@code eval()} (set once when loaded) and calls its forward through
 * {@link IValueUtils#forward(PtSymbolBlock, NDList, boolean)} with {@code isTrain = true}, which in DJL only means
 * "do not disable autograd": a graph is recorded exactly when an input requires a gradient under an open gradient
 * collector, as for any DJL block. Its parameters are frozen when loaded, so gradients reach the input only.
 *
 * <p>The module runs with libtorch's graph-executor optimisation off ({@link #run}), so the graph that computes the
 * gradients is the one saved, on every call: with it on, libtorch 2.7.1 re-optimises the graph after its first runs.
 * (The optimised graph once gave input gradients 0.066 away from Python's; that was libtorch's oneDNN convolution
 * backward, see {@code MlEngine}, and with oneDNN off the optimised graph matches Python as well.)
 */
final class TorchScriptBlock extends AbstractBlock {
    private final PtSymbolBlock module;
    private final String file;
    private final int classes;

    TorchScriptBlock(PtSymbolBlock module, String file, Shape inputShape, int classes) {
        this.module = addChildBlock("torchscript", module);
        this.file = file;
        this.classes = classes;
        this.inputShapes = new Shape[] {new Shape(1).addAll(inputShape)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (training) {
            throw new UnsupportedOperationException("the TorchScript model " + file + " runs in evaluation mode only: "
                    + "it can be evaluated and attacked, not trained");
        }
        return run(module, inputs);
    }

    /**
     * The module's forward with autograd recording allowed and the graph-executor optimisation off for this thread
     * (libtorch keeps the flag per thread, so it is set on every call).
     */
    static NDList run(PtSymbolBlock module, NDList inputs) {
        JniUtils.setGraphExecutorOptimize(false);
        return IValueUtils.forward(module, inputs, true);
    }

    /** The loaded module. */
    PtSymbolBlock module() {
        return module;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    public void saveParameters(DataOutputStream os) {
        throw new UnsupportedOperationException("the TorchScript model " + file + " cannot be written as a Robustlab "
                + "checkpoint; its .pt file is its saved form");
    }
}
