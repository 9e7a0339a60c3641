package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.checkGradients;
import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.randomised;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;

import java.util.function.BiFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The gradient checks (double precision, {@link GruTestSupport#checkGradients}) that every cell of rnnkit passes in
 * the shapes the networks use it in: {@code cell.apply(nIn, nOut)} builds the layer; 3 sequences of 5 steps, 3
 * inputs, 4 units, 3 classes.
 */
final class CellGradientChecks {
    static final int MB = 3;
    static final int N_IN = 3;
    static final int H = 4;
    static final int T = 5;
    static final int CLASSES = 3;

    private CellGradientChecks() {
    }

    static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(42).updater(new NoOp()).list();
    }

    static RnnOutputLayer rnnOut(int nIn) {
        return new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(nIn).nOut(CLASSES).build();
    }

    static OutputLayer out(int nIn) {
        return new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(nIn).nOut(CLASSES).build();
    }

    static INDArray input() {
        return uniform(1, DataType.DOUBLE, MB, N_IN, T);
    }

    static INDArray perStepLabels() {
        return oneHot(2, DataType.DOUBLE, MB, CLASSES, T);
    }

    /** Two layers, a label per step; example 0 has a gap at step 2, 1 is padded at the end, 2 at the start. */
    static void maskedPaddingAtEndStartAndInside(BiFunction<Integer, Integer, Layer> cell) {
        MultiLayerNetwork net = randomised(base().layer(cell.apply(N_IN, H)).layer(cell.apply(H, H)).layer(rnnOut(H)), N_IN);
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 3, 0);
        mask.putScalar(0, 2, 0.0);
        mask.get(NDArrayIndex.point(2), NDArrayIndex.interval(2, T)).assign(1);
        checkGradients(net, input(), perStepLabels(), mask, mask);
    }

    /** Both directions concatenated, without and with padding. */
    static void bidirectionalMasked(BiFunction<Integer, Integer, Layer> cell) {
        MultiLayerNetwork net = randomised(base().layer(new Bidirectional(Bidirectional.Mode.CONCAT, cell.apply(N_IN, H)))
                .layer(rnnOut(2 * H)), N_IN);
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 3, 1);
        checkGradients(net, input(), perStepLabels(), null, null);
        checkGradients(net, input(), perStepLabels(), mask, mask);
    }

    /** One label per sequence through {@link LastTimeStep}, sequences of 5, 2 and 4 steps. */
    static void manyToOneMaskedThroughLastTimeStep(BiFunction<Integer, Integer, Layer> cell) {
        MultiLayerNetwork net = randomised(base().layer(new LastTimeStep(cell.apply(N_IN, H))).layer(out(H)), N_IN);
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 2, 4);
        checkGradients(net, input(), oneHot(2, DataType.DOUBLE, MB, CLASSES, 0), mask, null);
    }
}
