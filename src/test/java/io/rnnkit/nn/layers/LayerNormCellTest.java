package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The layer-normalised LSTM and GRU ({@link LayerNorm}): backprop against central finite differences in double
 * precision (DL4J's GradientCheckUtil, gains and biases random too), what the norm does (outputs that do not depend
 * on the scale of the weights), and their parameters in the network's JSON.
 */
class LayerNormCellTest {

    private static final int N_IN = CellGradientChecks.N_IN;
    private static final int H = CellGradientChecks.H;
    private static final int CLASSES = CellGradientChecks.CLASSES;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.DOUBLE);

    enum Cell {
        LSTM(4, (nIn, h) -> new FusedLSTM.Builder().layerNorm(true).nIn(nIn).nOut(h)
                .activation(Activation.TANH).build()),
        GRU(3, (nIn, h) -> new FusedGRU.Builder().layerNorm(true).nIn(nIn).nOut(h).build());

        final int gates;
        final BiFunction<Integer, Integer, Layer> layer;

        Cell(int gates, BiFunction<Integer, Integer, Layer> layer) {
            this.gates = gates;
            this.layer = layer;
        }
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return CellGradientChecks.base();
    }

    private static RnnOutputLayer rnnOut(int nIn) {
        return CellGradientChecks.rnnOut(nIn);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckSingleLayer(Cell cell) {
        MultiLayerNetwork net = GruTestSupport.randomised(base().layer(cell.layer.apply(N_IN, H)).layer(rnnOut(H)), N_IN);
        assertEquals(List.of("W", "RW", "b", "lnGainX", "lnBiasX", "lnGainH", "lnBiasH"),
                List.copyOf(net.getLayer(0).paramTable().keySet()).stream().filter(k -> !k.equals("rb")).toList());
        assertEquals(cell.gates * H, net.getLayer(0).getParam(LayerNormParams.RECURRENT_GAIN_KEY).length());
        GruTestSupport.checkGradients(net, CellGradientChecks.input(), CellGradientChecks.perStepLabels(), null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckStackedWithPaddingAtEndStartAndInside(Cell cell) {
        CellGradientChecks.maskedPaddingAtEndStartAndInside(cell.layer);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckBidirectionalMasked(Cell cell) {
        CellGradientChecks.bidirectionalMasked(cell.layer);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckManyToOneThroughLastTimeStep(Cell cell) {
        CellGradientChecks.manyToOneMaskedThroughLastTimeStep(cell.layer);
    }

    /**
     * With gains 1 and biases 0 each norm undoes any scale of its weights: W·c and RW·c' (c, c' &gt; 0) give the
     * outputs of W and RW, to the ε inside the norm (made negligible by starting from large weights).
     */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void outputsDoNotDependOnTheScaleOfTheWeights(Cell cell) {
        MultiLayerNetwork net = new MultiLayerNetwork(base().layer(cell.layer.apply(N_IN, H)).layer(rnnOut(H))
                .setInputType(InputType.recurrent(N_IN)).build());
        net.init();
        net.getLayer(0).getParam("W").muli(100.0);
        net.getLayer(0).getParam("RW").muli(1000.0);
        INDArray before = net.output(CellGradientChecks.input());
        net.getLayer(0).getParam("W").muli(7.0);
        net.getLayer(0).getParam("RW").muli(0.5);
        INDArray after = net.output(CellGradientChecks.input());
        assertTrue(before.equalsWithEps(after, 1e-5), before + " vs " + after);
        net.getLayer(0).getParam(LayerNormParams.INPUT_GAIN_KEY).muli(2.0);
        assertFalse(before.equalsWithEps(net.output(CellGradientChecks.input()), 1e-3), "the gain takes effect");
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void theOptionRidesInTheNetworksJsonAndAPlainCellsJsonIsUnchanged(Cell cell) {
        MultiLayerConfiguration conf = base().layer(cell.layer.apply(N_IN, H)).layer(rnnOut(H))
                .setInputType(InputType.recurrent(N_IN)).build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertTrue(conf.toJson().contains("\"layerNorm\" : true"), conf.toJson());
        MultiLayerConfiguration plain = base().layer(new FusedGRU.Builder().nIn(N_IN).nOut(H).build())
                .layer(new FusedLSTM.Builder().nIn(H).nOut(H).build()).layer(rnnOut(H))
                .setInputType(InputType.recurrent(N_IN)).build();
        assertFalse(plain.toJson().contains("layerNorm"), "networks saved before the option read and write as they did");
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void floatNetworksTakeTheScalarPath(Cell cell) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(cell.layer.apply(N_IN, H)).layer(rnnOut(H)).setInputType(InputType.recurrent(N_IN)).build());
        net.init();
        FusedRecurrentLayer<?> layer = (FusedRecurrentLayer<?>) net.getLayer(0);
        assertTrue(layer.layerNormalised());
        assertTrue(FloatLanes.use(DataType.FLOAT), "the lanes would run this FLOAT network but for the norm");
        assertEquals(net.numParams(), net.getLayerWiseConfigurations().getConf(0).getLayer().initializer()
                .numParams(net.getLayerWiseConfigurations().getConf(0)) + H * CLASSES + CLASSES);
    }
}
