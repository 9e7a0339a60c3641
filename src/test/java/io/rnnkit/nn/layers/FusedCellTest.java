package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * rnnkit's SimpleRnn and LSTM against DL4J's own layer (same parameters, double precision) and against
 * finite differences (GradientCheckUtil), plus state, wrapping and serialization behaviour.
 */
class FusedCellTest {

    /** Agreement with DL4J's layer: the same arithmetic in another order. */
    private static final double SAME = 1e-6;

    private static final int MB = 3;
    private static final int N_IN = 3;
    private static final int H = 4;
    private static final int T = 5;
    private static final int CLASSES = 3;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.DOUBLE);

    /** A cell type: rnnkit's layer and DL4J's, built from the same settings. */
    enum Cell {
        SIMPLE_RNN((nIn, nOut) -> new SimpleRnn.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build(),
                (nIn, nOut) -> new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder().nIn(nIn)
                        .nOut(nOut).activation(Activation.TANH).build(),
                SimpleRnnLayer.class, H),
        LSTM((nIn, nOut) -> new LSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build(),
                (nIn, nOut) -> new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nIn(nIn).nOut(nOut)
                        .activation(Activation.TANH).build(),
                LSTMLayer.class, 2 * H);

        final BiFunction<Integer, Integer, Layer> rnnkit;
        final BiFunction<Integer, Integer, Layer> dl4j;
        final Class<?> implementation;
        /** Columns of the stored state. */
        final int stateWidth;

        Cell(BiFunction<Integer, Integer, Layer> rnnkit, BiFunction<Integer, Integer, Layer> dl4j,
                Class<?> implementation, int stateWidth) {
            this.rnnkit = rnnkit;
            this.dl4j = dl4j;
            this.implementation = implementation;
            this.stateWidth = stateWidth;
        }
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return CellGradientChecks.base();
    }

    private static RnnOutputLayer rnnOut(int nIn) {
        return CellGradientChecks.rnnOut(nIn);
    }

    private static OutputLayer out(int nIn) {
        return CellGradientChecks.out(nIn);
    }

    /** Initialises the network and replaces all parameters with Uniform(-0.8, 0.8). */
    private static MultiLayerNetwork net(MultiLayerConfiguration.Builder b) {
        return GruTestSupport.randomised(b, N_IN);
    }

    private static void check(MultiLayerNetwork net, INDArray in, INDArray labels, INDArray mask, INDArray lMask) {
        GruTestSupport.checkGradients(net, in, labels, mask, lMask);
    }

    private static INDArray input() {
        return CellGradientChecks.input();
    }

    private static INDArray perStepLabels() {
        return CellGradientChecks.perStepLabels();
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckSingleLayer(Cell cell) {
        check(net(base().layer(cell.rnnkit.apply(N_IN, H)).layer(rnnOut(H))), input(), perStepLabels(), null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckStacked(Cell cell) {
        check(net(base().layer(cell.rnnkit.apply(N_IN, H)).layer(cell.rnnkit.apply(H, H)).layer(rnnOut(H))),
                input(), perStepLabels(), null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckBidirectionalMasked(Cell cell) {
        CellGradientChecks.bidirectionalMasked(cell.rnnkit);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckMaskedPaddingAtEndStartAndInside(Cell cell) {
        CellGradientChecks.maskedPaddingAtEndStartAndInside(cell.rnnkit);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckManyToOneMaskedThroughLastTimeStep(Cell cell) {
        CellGradientChecks.manyToOneMaskedThroughLastTimeStep(cell.rnnkit);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckTbpttPath(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit.apply(N_IN, H)).layer(rnnOut(H))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(T).tBPTTBackwardLength(T));
        check(net, input(), perStepLabels(), null, null);
    }

    /** Same parameters in both networks: outputs, score and every parameter gradient agree. */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void equalsDl4jLayer(Cell cell) {
        MultiLayerNetwork ours = net(base().layer(cell.rnnkit.apply(N_IN, H)).layer(cell.rnnkit.apply(H, H))
                .layer(rnnOut(H)));
        MultiLayerNetwork theirs = net(base().layer(cell.dl4j.apply(N_IN, H)).layer(cell.dl4j.apply(H, H))
                .layer(rnnOut(H)));
        assertInstanceOf(cell.implementation, ours.getLayer(0));
        assertEquals(theirs.numParams(), ours.numParams());
        theirs.setParams(uniform(11, DataType.DOUBLE, 1, theirs.numParams()).muli(0.8));
        ours.setParams(theirs.params());
        INDArray x = input();
        assertTrue(theirs.output(x).equalsWithEps(ours.output(x), SAME), "outputs differ");

        INDArray labels = perStepLabels();
        Gradient[] g = new Gradient[2];
        double[] score = new double[2];
        MultiLayerNetwork[] nets = {ours, theirs};
        for (int n = 0; n < 2; n++) {
            nets[n].setInput(x);
            nets[n].setLabels(labels);
            nets[n].computeGradientAndScore();
            g[n] = nets[n].gradient();
            score[n] = nets[n].score();
        }
        assertEquals(score[1], score[0], SAME);
        assertEquals(g[1].gradientForVariable().keySet(), g[0].gradientForVariable().keySet());
        for (Map.Entry<String, INDArray> e : g[1].gradientForVariable().entrySet()) {
            INDArray mine = g[0].gradientForVariable().get(e.getKey());
            double diff = mine.sub(e.getValue()).amaxNumber().doubleValue();
            assertTrue(diff < SAME, e.getKey() + ": max |diff| " + diff);
        }
    }

    /** One step at a time through rnnTimeStep gives what the whole sequence gives, and the same final state. */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void rnnTimeStepMatchesWholeSequence(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit.apply(N_IN, H)).layer(cell.rnnkit.apply(H, H))
                .layer(rnnOut(H)));
        INDArray x = input();
        INDArray whole = net.output(x);
        net.rnnClearPreviousState();
        for (int t = 0; t < T; t++) {
            INDArray step = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)));
            INDArray expected = whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
            assertTrue(expected.equalsWithEps(step, 1e-12), "step " + t);
        }
        INDArray state = net.rnnGetPreviousState(1).get(FusedRecurrentLayer.STATE_KEY_PREV_ACTIVATION);
        assertEquals(MB, state.size(0));
        assertEquals(cell.stateWidth, state.size(1));
    }

    /**
     * Truncated BPTT's forward path: a segment run with rnnActivateUsingStoredState starts from the
     * state the previous segment stored, so two segments give the whole sequence's output.
     */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void tbpttSegmentsCarryState(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit.apply(N_IN, H)).layer(rnnOut(H)));
        FusedRecurrentLayer<?> layer = (FusedRecurrentLayer<?>) net.getLayer(0);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = uniform(1, DataType.DOUBLE, MB, N_IN, 6);
        INDArray whole = layer.activate(x, false, ws).dup();
        layer.rnnClearPreviousState();
        layer.rnnActivateUsingStoredState(
                x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup(), true, true, ws);
        assertEquals(cell.stateWidth,
                layer.rnnGetTBPTTState().get(FusedRecurrentLayer.STATE_KEY_PREV_ACTIVATION).size(1));
        INDArray second = layer.rnnActivateUsingStoredState(
                x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 6)).dup(), true, true, ws);
        INDArray expected = whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 6));
        assertTrue(expected.equalsWithEps(second, 1e-12), "second segment from the stored state");
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void serializationRoundTrip(Cell cell, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(3).updater(new Adam(0.01)).list()
                .layer(new Bidirectional(cell.rnnkit.apply(N_IN, H)))
                .layer(new LastTimeStep(cell.rnnkit.apply(2 * H, H)))
                .layer(out(H)).build());
        net.init();
        net.fit(new org.nd4j.linalg.dataset.DataSet(input(), oneHot(2, DataType.DOUBLE, MB, CLASSES, 0)));
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(input()), restored.output(input()));
        Layer inner = ((LastTimeStep) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getUnderlying();
        assertEquals(cell.rnnkit.apply(2 * H, H).getClass(), inner.getClass());
        assertTrue(!cell.rnnkit.apply(N_IN, H).equals(cell.dl4j.apply(N_IN, H))
                && !cell.dl4j.apply(N_IN, H).equals(cell.rnnkit.apply(N_IN, H)), "rnnkit and DL4J configs differ");
    }

    @Test
    void simpleRnnRefusesLayerNorm() {
        Layer layer = new SimpleRnn.Builder().nIn(N_IN).nOut(H).hasLayerNorm(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net(base().layer(layer).layer(rnnOut(H))));
        assertTrue(e.getMessage().contains("layer normalisation"), e.getMessage());
    }

    @Test
    void simpleRnnOtherActivationsTakeThePreActivationPath() {
        check(net(base().layer(new SimpleRnn.Builder().nIn(N_IN).nOut(H).activation(Activation.SOFTSIGN).build())
                .layer(rnnOut(H))), input(), perStepLabels(), null, null);
        MultiLayerNetwork ours = net(base().layer(new SimpleRnn.Builder().nIn(N_IN).nOut(H)
                .activation(Activation.SOFTSIGN).build()).layer(rnnOut(H)));
        MultiLayerNetwork theirs = net(base().layer(new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn
                .Builder().nIn(N_IN).nOut(H).activation(Activation.SOFTSIGN).build()).layer(rnnOut(H)));
        assertTrue(theirs.output(input()).equalsWithEps(ours.output(input()), SAME));
    }

    @Test
    void lstmOtherActivationsTakeThePreActivationPath() {
        java.util.function.Function<Boolean, Layer> layer = rnnkit -> {
            var b = rnnkit ? new LSTM.Builder() : new org.deeplearning4j.nn.conf.layers.LSTM.Builder();
            return b.nIn(N_IN).nOut(H).activation(Activation.SOFTSIGN)
                    .gateActivationFunction(Activation.HARDSIGMOID).build();
        };
        MultiLayerNetwork ours = net(base().layer(layer.apply(true)).layer(rnnOut(H)));
        check(ours, input(), perStepLabels(), null, null);
        MultiLayerNetwork theirs = net(base().layer(layer.apply(false)).layer(rnnOut(H)));
        assertTrue(theirs.output(input()).equalsWithEps(ours.output(input()), SAME));
    }

    /** Every setting of DL4J's builder reaches rnnkit's configuration: equal apart from the class. */
    @Test
    void lstmBuilderCarriesDl4jSettings() {
        org.deeplearning4j.nn.conf.layers.LSTM theirs = new org.deeplearning4j.nn.conf.layers.LSTM.Builder()
                .name("l").nIn(3).nOut(5).activation(Activation.SOFTSIGN).gateActivationFunction(Activation.HARDSIGMOID)
                .forgetGateBiasInit(2.5).biasInit(0.3).l2(0.01).dropOut(0.7).updater(new Adam(0.1))
                .weightInitRecurrent(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
                .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NWC).build();
        LSTM ours = new LSTM.Builder().name("l").nIn(3).nOut(5).activation(Activation.SOFTSIGN)
                .gateActivationFunction(Activation.HARDSIGMOID).forgetGateBiasInit(2.5).biasInit(0.3).l2(0.01)
                .dropOut(0.7).updater(new Adam(0.1))
                .weightInitRecurrent(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
                .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NWC).build();
        assertEquals(theirs.toString(), ours.toString().substring("rnnkit.".length()));
        assertEquals(theirs.toString(), LSTM.of(theirs).toString().substring("rnnkit.".length()));
    }

    static {
        LayerWorkspaceMgr.noWorkspaces(); // class init of DL4J's workspace manager before the first test
        Nd4j.create(1);
    }
}
