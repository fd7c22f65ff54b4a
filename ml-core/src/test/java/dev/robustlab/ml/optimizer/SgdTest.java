package dev.robustlab.ml.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SGD follows torch.optim.SGD: d = g + λθ, b = d then μb + d, θ −= η·b; gradients are zeroed after each step. */
class SgdTest {

    @Test
    void followsTorchSemanticsWithMomentumWeightDecayAndChangingRates() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            Linear block = Linear.builder().setUnits(1).optBias(false).build();
            block.setInitializer((NDManager m, Shape s, DataType t) -> m.create(new float[] {1f, -2f}, s),
                    Parameter.Type.WEIGHT);
            NDManager modelManager = manager.newSubManager();
            block.initialize(modelManager, DataType.FLOAT32, new Shape(1, 2));
            Classifier model = Classifier.of(block, modelManager, "linear", new Shape(2), 2);
            Sgd sgd = new Sgd(0.9, 0.1, manager);
            NDArray x = manager.create(new float[] {3f, 5f}, new Shape(1, 2));
            double[] theta = {1, -2};
            double[] buffer = new double[2];
            double[] gradient = {3, 5}; // ∂(w·x)/∂w = x
            double[] rates = {0.1, 0.05, 0.01};
            for (int step = 0; step < rates.length; step++) {
                try (NDManager scope = manager.newSubManager(); GradientScope g = GradientScope.open()) {
                    scope.tempAttachAll(x);
                    g.backward(model.logits(x, true).sum());
                }
                sgd.step(model.parameters(), rates[step]);
                for (int i = 0; i < 2; i++) {
                    double d = gradient[i] + 0.1 * theta[i];
                    buffer[i] = step == 0 ? d : 0.9 * buffer[i] + d;
                    theta[i] -= rates[step] * buffer[i];
                }
                float[] actual = model.parameters().get(0).getArray().toFloatArray();
                assertEquals(theta[0], actual[0], 1e-5, "step " + step);
                assertEquals(theta[1], actual[1], 1e-5, "step " + step);
            }
            try (NDArray grad = model.parameters().get(0).getArray().getGradient()) {
                assertEquals(0f, grad.abs().sum().getFloat(), "gradients are zeroed");
            }
            sgd.close();
            model.close();
        }
    }
}
