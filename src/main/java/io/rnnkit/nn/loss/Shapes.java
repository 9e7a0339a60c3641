package io.rnnkit.nn.loss;

import java.util.Arrays;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossUtil;

/** What the heads' losses share: the shape check and the chain rule through the head's activation with masks. */
final class Shapes {

    private Shapes() {
    }

    static void check(INDArray labels, INDArray preOutput) {
        if (!labels.equalShapes(preOutput)) {
            throw new IllegalArgumentException("labels " + Arrays.toString(labels.shape()) + " and output " + Arrays.toString(preOutput.shape())
                    + " differ in shape; a grouped head's labels repeat each target over its group (HeadLabels.repeat)");
        }
    }

    /** dL/dz from dL/da: masked per output before the activation's backprop when the mask is per output, after it always. */
    static INDArray backprop(INDArray dLda, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (mask != null && LossUtil.isPerOutputMasking(dLda, mask)) {
            LossUtil.applyMask(dLda, mask);
        }
        INDArray gradient = activationFn.backprop(preOutput.dup(), dLda).getFirst();
        if (mask != null) {
            LossUtil.applyMask(gradient, mask);
        }
        return gradient;
    }
}
