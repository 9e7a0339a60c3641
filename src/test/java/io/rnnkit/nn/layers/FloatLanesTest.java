package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The SIMD path of FLOAT networks ({@link LstmLanes}, {@link GruLanes}, {@link SimpleRnnLanes}) against the scalar path of the same network in
 * DOUBLE, the path the gradient checks and the comparison with DL4J's own layer cover
 * ({@link CellContractTest}): same parameters (the float ones, widened), so the two differ only by float
 * rounding. The widths 16 (two whole vectors of 8 lanes) and 13 (one vector and five single columns)
 * cover both the vector loops and their tails.
 */
class FloatLanesTest {

    private static final int N_IN = 3;
    private static final int T = 7;
    private static final int CLASSES = 3;
    /** Float rounding through a few steps and layers; a wrong formula or index is off by far more. */
    private static final double OUTPUT_TOLERANCE = 2e-6;
    private static final double GRADIENT_TOLERANCE = 2e-5;

    @Test
    void testJvmLoadsTheVectorApi() {
        // surefire starts the test JVMs with --add-modules jdk.incubator.vector, as ./rnnkit does
        assertTrue(FloatLanes.AVAILABLE, "jdk.incubator.vector is not loaded: the SIMD path would go untested");
        assertTrue(FloatLanes.use(DataType.FLOAT));
        assertTrue(!FloatLanes.use(DataType.DOUBLE));
        // mvn verify runs these tests again with the vector width capped: check that the cap took effect
        String expected = System.getProperty("rnnkit.expectedVectorBits");
        if (expected != null) {
            assertEquals(Integer.parseInt(expected), VectorMath.S.vectorBitSize(), "-XX:MaxVectorSize did not apply");
        }
    }

    /** The three cells, each with its usual activations (the ones the SIMD kernels take). */
    enum Cell {
        LSTM((nIn, h) -> new FusedLSTM.Builder().nIn(nIn).nOut(h).activation(Activation.TANH).build()),
        GRU((nIn, h) -> new FusedGRU.Builder().nIn(nIn).nOut(h).activation(Activation.TANH).build()),
        SIMPLE_RNN((nIn, h) -> new FusedSimpleRnn.Builder().nIn(nIn).nOut(h).activation(Activation.TANH).build()),
        // layer-normalised cells run the scalar path in FLOAT (no lanes): the same agreement with DOUBLE
        LSTM_LAYER_NORM((nIn, h) -> new FusedLSTM.Builder().layerNorm(true).nIn(nIn).nOut(h)
                .activation(Activation.TANH).build()),
        GRU_LAYER_NORM((nIn, h) -> new FusedGRU.Builder().layerNorm(true).nIn(nIn).nOut(h)
                .activation(Activation.TANH).build());

        final BiFunction<Integer, Integer, Layer> layer;

        Cell(BiFunction<Integer, Integer, Layer> layer) {
            this.layer = layer;
        }
    }

    static RnnOutputLayer rnnOut(int nIn) {
        return new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(nIn)
                .nOut(CLASSES).build();
    }

    /** The same architecture as a FLOAT network [0] and a DOUBLE one [1] with the same (float) parameters. */
    static MultiLayerNetwork[] pair(Function<NeuralNetConfiguration.ListBuilder, MultiLayerConfiguration.Builder> arch) {
        MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
        DataType[] types = {DataType.FLOAT, DataType.DOUBLE};
        for (int n = 0; n < 2; n++) {
            MultiLayerConfiguration.Builder b = arch.apply(new NeuralNetConfiguration.Builder().dataType(types[n])
                    .seed(42).updater(new NoOp()).list());
            b.setInputType(InputType.recurrent(N_IN));
            nets[n] = new MultiLayerNetwork(b.build());
            nets[n].init();
        }
        nets[0].setParams(uniform(7, DataType.FLOAT, 1, nets[0].numParams()).muli(0.8));
        nets[1].setParams(nets[0].params().castTo(DataType.DOUBLE));
        return nets;
    }

    static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double diff = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        assertTrue(diff <= tolerance * scale, what + ": max |float − double| " + diff + " (scale " + scale + ")");
    }

    /** Outputs, score and every parameter gradient of the FLOAT network match the DOUBLE one. */
    static void assertSame(MultiLayerNetwork[] nets, INDArray x, INDArray labels, INDArray mask,
            INDArray labelMask) {
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray maskF = mask == null ? null : mask.castTo(DataType.FLOAT);
        assertClose(nets[1].output(x, false, mask, labelMask), nets[0].output(xf, false, maskF,
                labelMask == null ? null : labelMask.castTo(DataType.FLOAT)), OUTPUT_TOLERANCE, "output");
        Gradient[] g = new Gradient[2];
        double[] score = new double[2];
        for (int n = 0; n < 2; n++) {
            DataType type = n == 0 ? DataType.FLOAT : DataType.DOUBLE;
            nets[n].setInput(x.castTo(type));
            nets[n].setLabels(labels.castTo(type));
            nets[n].setLayerMaskArrays(mask == null ? null : mask.castTo(type),
                    labelMask == null ? null : labelMask.castTo(type));
            nets[n].computeGradientAndScore();
            g[n] = nets[n].gradient();
            score[n] = nets[n].score();
        }
        assertEquals(score[1], score[0], 1e-5 * Math.max(1, Math.abs(score[1])), "score");
        assertEquals(g[1].gradientForVariable().keySet(), g[0].gradientForVariable().keySet());
        for (Map.Entry<String, INDArray> e : g[1].gradientForVariable().entrySet()) {
            assertClose(e.getValue(), g[0].gradientForVariable().get(e.getKey()), GRADIENT_TOLERANCE, e.getKey());
        }
    }

    /** Every cell at both widths. */
    static java.util.stream.Stream<Arguments> cellsAndWidths() {
        return java.util.Arrays.stream(Cell.values()).flatMap(c -> java.util.stream.Stream.of(Arguments.of(c, 16),
                Arguments.of(c, 13)));
    }

    @ParameterizedTest
    @MethodSource("cellsAndWidths")
    void stackedManyToMany(Cell cell, int h) {
        MultiLayerNetwork[] nets = pair(b -> b.layer(cell.layer.apply(N_IN, h)).layer(cell.layer.apply(h, h))
                .layer(rnnOut(h)));
        assertSame(nets, uniform(1, DataType.DOUBLE, 4, N_IN, T), oneHot(2, DataType.DOUBLE, 4, CLASSES, T), null,
                null);
    }

    /**
     * A layer's output reaches DL4J's RnnOutputLayer without a copy: {@code TimeSeriesUtils.reshape3dTo2d} of a
     * minibatch's output is a view (of an 'f' [mb, h, T] array it would be an 11 ms copy at the m2m benchmark's
     * shape), and one sequence's output keeps 'f' [1, h, T], whose steps the lanes write in one copy each.
     */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void outputReshapesToRowsWithoutACopy(Cell cell) {
        MultiLayerNetwork net = pair(b -> b.layer(cell.layer.apply(N_IN, 16)).layer(rnnOut(16)))[0];
        INDArray batch = net.feedForward(uniform(1, DataType.FLOAT, 4, N_IN, T), false).get(1);
        INDArray rows = org.deeplearning4j.util.TimeSeriesUtils.reshape3dTo2d(batch,
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces(),
                org.deeplearning4j.nn.workspace.ArrayType.ACTIVATIONS);
        assertTrue(rows.isView(), "reshape3dTo2d copied the output, strides " + java.util.Arrays.toString(batch.stride()));
        assertEquals(batch.getFloat(2, 5, 3), rows.getFloat(3L * 4 + 2, 5));
        INDArray one = net.feedForward(uniform(2, DataType.FLOAT, 1, N_IN, T), false).get(1);
        assertEquals("[1, 1, 16]", java.util.Arrays.toString(one.stride()));
    }

    @ParameterizedTest
    @MethodSource("cellsAndWidths")
    void oneSequence(Cell cell, int h) {
        MultiLayerNetwork[] nets = pair(b -> b.layer(cell.layer.apply(N_IN, h)).layer(rnnOut(h)));
        assertSame(nets, uniform(3, DataType.DOUBLE, 1, N_IN, T), oneHot(4, DataType.DOUBLE, 1, CLASSES, T), null,
                null);
    }

    @ParameterizedTest
    @MethodSource("cellsAndWidths")
    void maskedPaddingAtEndStartAndInside(Cell cell, int h) {
        MultiLayerNetwork[] nets = pair(b -> b.layer(cell.layer.apply(N_IN, h)).layer(cell.layer.apply(h, h))
                .layer(rnnOut(h)));
        INDArray mask = leadingMask(DataType.DOUBLE, T, 7, 4, 0);
        mask.putScalar(0, 2, 0.0);
        mask.get(NDArrayIndex.point(2), NDArrayIndex.interval(2, T)).assign(1);
        assertSame(nets, uniform(5, DataType.DOUBLE, 3, N_IN, T), oneHot(6, DataType.DOUBLE, 3, CLASSES, T), mask,
                mask);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void bidirectionalMasked(Cell cell) {
        MultiLayerNetwork[] nets = pair(b -> b.layer(new Bidirectional(Bidirectional.Mode.CONCAT,
                cell.layer.apply(N_IN, 16)))
                .layer(rnnOut(32)));
        INDArray mask = leadingMask(DataType.DOUBLE, T, 7, 3, 1);
        assertSame(nets, uniform(8, DataType.DOUBLE, 3, N_IN, T), oneHot(9, DataType.DOUBLE, 3, CLASSES, T), mask,
                mask);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void manyToOneThroughLastTimeStep(Cell cell) {
        MultiLayerNetwork[] nets = pair(b -> b.layer(new LastTimeStep(cell.layer.apply(N_IN, 16))).layer(
                new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(16).nOut(CLASSES)
                        .build()));
        INDArray mask = leadingMask(DataType.DOUBLE, T, 7, 2, 5);
        assertSame(nets, uniform(10, DataType.DOUBLE, 3, N_IN, T), oneHot(11, DataType.DOUBLE, 3, CLASSES, 0), mask,
                null);
    }

    /** Truncated BPTT: the gradient stops tBPTTBackwardLength steps back, from a carried state. */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void truncatedBackprop(Cell cell) {
        MultiLayerNetwork[] nets = pair(b -> b.layer(cell.layer.apply(N_IN, 16)).layer(rnnOut(16))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(T).tBPTTBackwardLength(3));
        assertSame(nets, uniform(12, DataType.DOUBLE, 2, N_IN, T), oneHot(13, DataType.DOUBLE, 2, CLASSES, T), null,
                null);
    }

    /** rnnTimeStep: each call starts from the state the previous one stored (the state0 path). */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void streamingStepsMatch(Cell cell) {
        MultiLayerNetwork[] nets = pair(b -> b.layer(cell.layer.apply(N_IN, 13)).layer(cell.layer.apply(13, 13))
                .layer(rnnOut(13)));
        INDArray x = uniform(14, DataType.DOUBLE, 2, N_IN, T);
        for (int t = 0; t < T; t++) {
            INDArray step = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1)).dup();
            assertClose(nets[1].rnnTimeStep(step), nets[0].rnnTimeStep(step.castTo(DataType.FLOAT)), OUTPUT_TOLERANCE,
                    "step " + t);
        }
        INDArray whole = nets[0].output(x.castTo(DataType.FLOAT));
        nets[0].rnnClearPreviousState();
        INDArray first = nets[0].rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4))
                .dup().castTo(DataType.FLOAT));
        INDArray rest = nets[0].rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, T))
                .dup().castTo(DataType.FLOAT));
        // a few float ulps: BLAS may round the input projection of 3 steps differently from that of 7
        assertClose(whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4)), first, 1e-6,
                "first segment");
        assertClose(whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, T)), rest, 1e-6,
                "second segment, from the stored state");
    }
}
