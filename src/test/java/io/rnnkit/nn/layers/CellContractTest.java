package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterCreator;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
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
 * The contract every rnnkit cell (SimpleRnn, LSTM, GRU) keeps, one test run over each: backprop against
 * central finite differences in double precision (DL4J's GradientCheckUtil for the network shapes the cells
 * are used in, and the same kind of check written out for the truncated-BPTT paths, which GradientCheckUtil's
 * score, always from a zero state and never truncated, cannot see), agreement with DL4J's own layer where
 * DL4J has one (same parameters), state, wrapping and serialization behaviour.
 */
class CellContractTest {

    /** Agreement with DL4J's layer: the same arithmetic in another order. */
    private static final double SAME = 1e-6;

    /** Central differences and tolerances of {@link GruTestSupport#checkGradients}, for the checks written out here. */
    private static final double EPSILON = 1e-6;
    private static final double MAX_REL_ERROR = 1e-5;
    private static final double MIN_ABS_ERROR = 1e-8;

    private static final int MB = 3;
    private static final int N_IN = 3;
    private static final int H = 4;
    private static final int T = 5;
    private static final int CLASSES = 3;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.DOUBLE);

    /**
     * A cell type: rnnkit's layer (its builder, with or without layer normalisation) and DL4J's layer of the
     * same kind where DL4J has one (it has no GRU).
     */
    enum Cell {
        SIMPLE_RNN(ln -> new FusedSimpleRnn.Builder().hasLayerNorm(ln).activation(Activation.TANH),
                (nIn, nOut) -> new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder().nIn(nIn)
                        .nOut(nOut).activation(Activation.TANH).build(),
                SimpleRnnLayer.class, H, false),
        LSTM(ln -> new FusedLSTM.Builder().layerNorm(ln).activation(Activation.TANH),
                (nIn, nOut) -> new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nIn(nIn).nOut(nOut)
                        .activation(Activation.TANH).build(),
                LSTMLayer.class, 2 * H, true),
        GRU(ln -> new FusedGRU.Builder().layerNorm(ln), null, GRULayer.class, H, true);

        private final Function<Boolean, BaseRecurrentLayer.Builder<?>> builder;
        final BiFunction<Integer, Integer, Layer> dl4j;
        final Class<?> implementation;
        /** Columns of the stored state. */
        final int stateWidth;
        final boolean hasLayerNorm;

        Cell(Function<Boolean, BaseRecurrentLayer.Builder<?>> builder, BiFunction<Integer, Integer, Layer> dl4j,
                Class<?> implementation, int stateWidth, boolean hasLayerNorm) {
            this.builder = builder;
            this.dl4j = dl4j;
            this.implementation = implementation;
            this.stateWidth = stateWidth;
            this.hasLayerNorm = hasLayerNorm;
        }

        /** The builder, without layer normalisation and without nIn (DL4J infers it from the input type). */
        BaseRecurrentLayer.Builder<?> builder() {
            return builder.apply(false);
        }

        BaseRecurrentLayer.Builder<?> builder(int nIn, int nOut) {
            return builder.apply(false).nIn(nIn).nOut(nOut);
        }

        Layer rnnkit(int nIn, int nOut) {
            return builder(nIn, nOut).build();
        }

        /** The cells DL4J has a layer of. */
        static Stream<Cell> withDl4jCounterpart() {
            return Stream.of(values()).filter(c -> c.dl4j != null);
        }

        /** Every cell without, and those that have it with, layer normalisation. */
        static Stream<Arguments> withAndWithoutLayerNorm() {
            return Stream.of(values()).flatMap(c -> c.hasLayerNorm
                    ? Stream.of(Arguments.of(c, false), Arguments.of(c, true)) : Stream.of(Arguments.of(c, false)));
        }
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return CellGradientChecks.base();
    }

    private static NeuralNetConfiguration.ListBuilder base(double l2) {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(42).updater(new NoOp()).l2(l2)
                .list();
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

    /** The same for input in {@code format}. */
    private static MultiLayerNetwork net(MultiLayerConfiguration.Builder b, RNNFormat format) {
        b.setInputType(InputType.recurrent(N_IN, format));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        net.setParams(uniform(7, DataType.DOUBLE, 1, net.numParams()).muli(0.8));
        return net;
    }

    private static void check(MultiLayerNetwork net, INDArray in, INDArray labels, INDArray mask, INDArray lMask) {
        GruTestSupport.checkGradients(net, in, labels, mask, lMask);
    }

    private static void check(GradientCheckUtil.MLNConfig config) {
        boolean ok = GradientCheckUtil.checkGradients(config.epsilon(EPSILON).maxRelError(MAX_REL_ERROR)
                .minAbsoluteError(MIN_ABS_ERROR).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false));
        assertTrue(ok, "gradient check failed (see log for the failing parameters)");
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
        check(net(base().layer(cell.rnnkit(N_IN, H)).layer(rnnOut(H))), input(), perStepLabels(), null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckStacked(Cell cell) {
        check(net(base().layer(cell.rnnkit(N_IN, H)).layer(cell.rnnkit(H, H)).layer(rnnOut(H))),
                input(), perStepLabels(), null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckBidirectionalMasked(Cell cell) {
        CellGradientChecks.bidirectionalMasked(cell::rnnkit);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckMaskedPaddingAtEndStartAndInside(Cell cell) {
        CellGradientChecks.maskedPaddingAtEndStartAndInside(cell::rnnkit);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckManyToOneMaskedThroughLastTimeStep(Cell cell) {
        CellGradientChecks.manyToOneMaskedThroughLastTimeStep(cell::rnnkit);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckTbpttPath(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(rnnOut(H))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(T).tBPTTBackwardLength(T));
        check(net, input(), perStepLabels(), null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckStackedWithL2AndNwcFormat(Cell cell) {
        MultiLayerNetwork net = net(base(0.01)
                .layer(cell.builder(N_IN, H).dataFormat(RNNFormat.NWC).build())
                .layer(cell.builder(H, H).dataFormat(RNNFormat.NWC).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(H)
                        .nOut(CLASSES).dataFormat(RNNFormat.NWC).build()), RNNFormat.NWC);
        INDArray in = uniform(1, DataType.DOUBLE, MB, T, N_IN);
        INDArray labels = perStepLabels().permute(0, 2, 1).dup();
        check(net, in, labels, null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckInputDropout(Cell cell) {
        // on the upper layer, so the input gradient's dropout backprop reaches parameters below
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(cell.builder(H, H).dropOut(0.6).build())
                .layer(rnnOut(H)));
        // the same dropout mask in every forward pass: reseed before each
        check(new GradientCheckUtil.MLNConfig().net(net).input(input()).labels(perStepLabels())
                .callEachIter(n -> Nd4j.getRandom().setSeed(99)));
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckBidirectionalAddModeWithMask(Cell cell) {
        // ADD hands both directions the same epsilon array: backprop must not modify it
        MultiLayerNetwork net = net(base().layer(new Bidirectional(Bidirectional.Mode.ADD, cell.rnnkit(N_IN, H)))
                .layer(rnnOut(H)));
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 3, 1);
        check(net, input(), perStepLabels(), mask, mask);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckStackedManyToOneThroughLastTimeStep(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(new LastTimeStep(cell.rnnkit(H, H)))
                .layer(out(H)));
        check(net, input(), oneHot(2, DataType.DOUBLE, MB, CLASSES, 0), null, null);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckComputationGraphWithMask(Cell cell) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(42).updater(new NoOp()).graphBuilder()
                .addInputs("in")
                .addLayer("cell", cell.rnnkit(N_IN, H), "in")
                .addLayer("out", rnnOut(H), "cell")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(N_IN))
                .build());
        graph.init();
        graph.setParams(uniform(7, DataType.DOUBLE, 1, graph.numParams()).muli(0.8));
        // padding at the end (example 1), at the start (2) and inside (0)
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 3, 0);
        mask.putScalar(0, 2, 0.0);
        mask.get(NDArrayIndex.point(2), NDArrayIndex.interval(1, T)).assign(1);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[] {input()}).labels(new INDArray[] {perStepLabels()})
                .inputMask(new INDArray[] {mask}).labelMask(new INDArray[] {mask})
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check failed (see log for the failing parameters)");
    }

    /**
     * A TBPTT segment starting from a carried state: the gradient the network computes must be the
     * derivative of the segment's loss with the carried state held constant (GradientCheckUtil's score
     * always starts from a zero state, so this check is written out).
     */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientCheckTbpttSegmentFromCarriedState(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(cell.rnnkit(H, H)).layer(rnnOut(H))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(T).tBPTTBackwardLength(T));
        Map<String, INDArray> s0 = Map.of(FusedRecurrentLayer.STATE_KEY_PREV_ACTIVATION,
                uniform(3, DataType.DOUBLE, MB, cell.stateWidth));
        Map<String, INDArray> s1 = Map.of(FusedRecurrentLayer.STATE_KEY_PREV_ACTIVATION,
                uniform(4, DataType.DOUBLE, MB, cell.stateWidth));
        Runnable carriedState = () -> {
            net.rnnSetPreviousState(0, s0);
            net.rnnSetPreviousState(1, s1);
            ((FusedRecurrentLayer<?>) net.getLayer(0)).rnnSetTBPTTState(s0);
            ((FusedRecurrentLayer<?>) net.getLayer(1)).rnnSetTBPTTState(s1);
        };
        net.setInput(input());
        net.setLabels(perStepLabels());
        carriedState.run();
        net.computeGradientAndScore();
        Gradient gradient = net.gradient();
        // as GradientCheckUtil does: the updater (NoOp) divides by the minibatch size, as the score does
        UpdaterCreator.getUpdater(net).update(net, gradient, 0, 0, net.batchSize(), LayerWorkspaceMgr.noWorkspaces());
        INDArray analytic = gradient.gradient().dup();

        Supplier<Double> loss = () -> {
            carriedState.run();
            net.computeGradientAndScore();
            return net.score();
        };
        INDArray params = net.params();
        double worst = 0;
        for (long i = 0; i < params.length(); i++) {
            worst = Math.max(worst, relError(analytic.getDouble(i), numeric(params, new long[] {i}, loss)));
        }
        assertTrue(worst < MAX_REL_ERROR, "largest relative error " + worst);
    }

    /**
     * tbpttBackpropGradient with a backward length k shorter than the segment: the result must be
     * the derivative of Σ_{t ≥ T−k} ε_t · h_t with the state entering step T−k held constant, for the
     * parameters and for the input (whose gradient must be zero before T−k). Also for the layer-normalised
     * cells, whose norms' backprop must stop at the same point.
     */
    @ParameterizedTest
    @MethodSource("io.rnnkit.nn.layers.CellContractTest$Cell#withAndWithoutLayerNorm")
    void gradientCheckTruncatedBackwardLength(Cell cell, boolean layerNorm) {
        int steps = 7;
        int k = 3;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(12345).updater(new NoOp()).list()
                .layer(cell.builder.apply(layerNorm).nIn(N_IN).nOut(H).build()).build());
        net.init();
        net.initGradientsView(); // layer-level backprop writes into these views
        net.setParams(uniform(7, DataType.DOUBLE, 1, net.numParams()).muli(0.8));
        FusedRecurrentLayer<?> layer = (FusedRecurrentLayer<?>) net.getLayer(0);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = uniform(1, DataType.DOUBLE, MB, N_IN, steps);
        INDArray eps = uniform(2, DataType.DOUBLE, MB, H, steps);
        INDArray state = uniform(3, DataType.DOUBLE, MB, cell.stateWidth);
        Map<String, INDArray> carried = Map.of(FusedRecurrentLayer.STATE_KEY_PREV_ACTIVATION, state);

        layer.rnnSetPreviousState(carried);
        layer.rnnSetTBPTTState(carried);
        layer.rnnActivateUsingStoredState(x, true, false, ws);
        Pair<Gradient, INDArray> analytic = layer.tbpttBackpropGradient(eps, k, ws);
        INDArray gradParams = layer.getGradientsViewArray().dup();
        INDArray gradInput = analytic.getSecond().dup();

        // the state entering the truncated window, at the unperturbed parameters
        INDArray head = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, steps - k)).dup();
        layer.rnnSetTBPTTState(carried);
        layer.rnnActivateUsingStoredState(head, false, true, ws);
        Map<String, INDArray> window = layer.rnnGetTBPTTState();
        INDArray tail = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(steps - k, steps)).dup();
        INDArray epsTail = eps.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(steps - k, steps));
        Supplier<Double> loss = () -> {
            layer.rnnSetTBPTTState(window);
            return layer.rnnActivateUsingStoredState(tail, false, false, ws).mul(epsTail).sumNumber().doubleValue();
        };

        double worst = 0;
        INDArray params = layer.params();
        for (long i = 0; i < params.length(); i++) {
            worst = Math.max(worst, relError(gradParams.getDouble(i), numeric(params, new long[] {i}, loss)));
        }
        for (int i = 0; i < MB; i++) {
            for (int f = 0; f < N_IN; f++) {
                for (int t = 0; t < steps - k; t++) {
                    assertEquals(0.0, gradInput.getDouble(i, f, t), "input gradient before the truncation point");
                }
                for (int t = steps - k; t < steps; t++) {
                    double num = numeric(tail, new long[] {i, f, t - (steps - k)}, loss);
                    worst = Math.max(worst, relError(gradInput.getDouble(i, f, t), num));
                }
            }
        }
        assertTrue(worst < MAX_REL_ERROR, "largest relative error " + worst);
    }

    /**
     * Central difference of {@code loss} in one element of {@code array}: {@code index} is a flat
     * (linear) index when it has one component, coordinates otherwise.
     */
    private static double numeric(INDArray array, long[] index, Supplier<Double> loss) {
        INDArray flat = array.reshape(array.length());
        long at = index.length == 1 ? index[0] : 0;
        INDArray target = index.length == 1 ? flat : array;
        double v = index.length == 1 ? flat.getDouble(at) : array.getDouble(index);
        double[] results = new double[2];
        for (int side = 0; side < 2; side++) {
            double value = side == 0 ? v + EPSILON : v - EPSILON;
            if (index.length == 1) {
                target.putScalar(at, value);
            } else {
                target.putScalar(index, value);
            }
            results[side] = loss.get();
        }
        if (index.length == 1) {
            target.putScalar(at, v);
        } else {
            target.putScalar(index, v);
        }
        return (results[0] - results[1]) / (2 * EPSILON);
    }

    /** GradientCheckUtil's measure, with its absolute floor for gradients that are numerically zero. */
    private static double relError(double analytic, double numeric) {
        double abs = Math.abs(analytic - numeric);
        if (abs < MIN_ABS_ERROR) {
            return 0;
        }
        return abs / (Math.abs(analytic) + Math.abs(numeric));
    }

    /** Same parameters in both networks: outputs, score and every parameter gradient agree. */
    @ParameterizedTest
    @MethodSource("io.rnnkit.nn.layers.CellContractTest$Cell#withDl4jCounterpart")
    void equalsDl4jLayer(Cell cell) {
        MultiLayerNetwork ours = net(base().layer(cell.rnnkit(N_IN, H)).layer(cell.rnnkit(H, H))
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
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(cell.rnnkit(H, H))
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
        // in chunks, then again after clearing the state
        for (int round = 0; round < 2; round++) {
            net.rnnClearPreviousState();
            assertArrayClose(steps(whole, 0, 2), net.rnnTimeStep(steps(x, 0, 2)), 1e-12);
            assertArrayClose(steps(whole, 2, T), net.rnnTimeStep(steps(x, 2, T)), 1e-12);
        }
        // a stored state really is used: continuing from it differs from a fresh start
        assertFalse(net.rnnTimeStep(steps(x, 2, T)).equalsWithEps(steps(whole, 2, T), 1e-6));
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void maskedStepsOutputZerosAndLeaveTheStateAlone(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(cell.rnnkit(H, H)).layer(rnnOut(H)));
        int steps = 6;
        INDArray x = uniform(2, DataType.DOUBLE, 3, N_IN, steps);
        // 0: padded at the end (4 real steps); 1: padded at the start (2 padding steps); 2: a gap at step 2
        INDArray mask = leadingMask(DataType.DOUBLE, steps, 4, 6, 6);
        mask.get(NDArrayIndex.point(1), NDArrayIndex.interval(0, 2)).assign(0);
        mask.putScalar(2, 2, 0.0);
        List<INDArray> acts = net.feedForward(x, mask, null);
        for (int layer = 1; layer <= 2; layer++) {
            for (int[] masked : new int[][] {{0, 4}, {0, 5}, {1, 0}, {1, 1}, {2, 2}}) {
                INDArray step = acts.get(layer).get(NDArrayIndex.point(masked[0]), NDArrayIndex.all(),
                        NDArrayIndex.point(masked[1]));
                assertEquals(0.0, step.amaxNumber().doubleValue(), "output at masked step " + masked[1]);
            }
        }
        // each example's real steps give exactly what its unpadded sequence gives alone
        long[][] realSteps = {{0, 1, 2, 3}, {2, 3, 4, 5}, {0, 1, 3, 4, 5}};
        for (int i = 0; i < 3; i++) {
            INDArrayIndex[] pick = {NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                NDArrayIndex.indices(realSteps[i])};
            INDArray alone = net.feedForward(x.get(pick).dup(), false).get(2);
            assertArrayClose(alone, acts.get(2).get(pick), 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void backpropReusesTheForwardPassAndAgreesWithARecomputedOne(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(rnnOut(H)));
        FusedRecurrentLayer<?> layer = (FusedRecurrentLayer<?>) net.getLayer(0);
        net.initGradientsView(); // layer-level backprop writes into these views
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = uniform(3, DataType.DOUBLE, 2, N_IN, 6);
        INDArray eps = uniform(4, DataType.DOUBLE, 2, H, 6);

        layer.activate(x, true, ws);
        Pair<Gradient, INDArray> traced = layer.backpropGradient(eps, ws);
        INDArray gradTraced = layer.getGradientsViewArray().dup();
        INDArray epsTraced = traced.getSecond().dup();

        layer.setInput(x.dup(), ws); // a new input array: the trace no longer applies
        Pair<Gradient, INDArray> recomputed = layer.backpropGradient(eps, ws);
        assertArrayClose(gradTraced, layer.getGradientsViewArray(), 1e-14);
        assertArrayClose(epsTraced, recomputed.getSecond(), 1e-14);
        assertTrue(gradTraced.amaxNumber().doubleValue() > 0);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void dropoutAppliesInTrainingOnly(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.builder(N_IN, H).dropOut(0.5).build()).layer(rnnOut(H)));
        INDArray x = uniform(9, DataType.DOUBLE, 2, N_IN, 4);
        assertEquals(net.output(x, false), net.output(x, false));
        assertFalse(net.output(x, true).equalsWithEps(net.output(x, true), 1e-9));
        assertFalse(net.output(x, true).equalsWithEps(net.output(x, false), 1e-9));
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void workspacesChangeNothing(Cell cell) {
        INDArray[] params = new INDArray[2];
        DataSet ds = new DataSet(uniform(10, DataType.DOUBLE, 4, N_IN, 7), oneHot(11, DataType.DOUBLE, 4, CLASSES, 0));
        WorkspaceMode[] modes = {WorkspaceMode.ENABLED, WorkspaceMode.NONE};
        for (int m = 0; m < 2; m++) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(17)
                    .dataType(DataType.DOUBLE).updater(new Adam(0.01))
                    .trainingWorkspaceMode(modes[m]).inferenceWorkspaceMode(modes[m]).list()
                    .layer(cell.rnnkit(N_IN, H)).layer(new LastTimeStep(cell.rnnkit(H, H))).layer(out(H))
                    .setInputType(InputType.recurrent(N_IN)).build());
            net.init();
            for (int i = 0; i < 3; i++) {
                net.fit(ds);
            }
            params[m] = net.params();
        }
        assertEquals(params[0], params[1]);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void singlePrecisionAgreesWithDouble(Cell cell) {
        MultiLayerNetwork d = net(base().layer(cell.rnnkit(N_IN, H)).layer(cell.rnnkit(H, H)).layer(rnnOut(H)));
        MultiLayerConfiguration fConf = d.getLayerWiseConfigurations().clone();
        fConf.setDataType(DataType.FLOAT);
        MultiLayerNetwork f = new MultiLayerNetwork(fConf);
        f.init(d.params().castTo(DataType.FLOAT), true);
        INDArray x = uniform(14, DataType.DOUBLE, 3, N_IN, 8);
        assertArrayClose(d.output(x), f.output(x.castTo(DataType.FLOAT)), 1e-5);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void halfPrecisionNetworksAreRejectedWithTheReason(Cell cell) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.HALF).list()
                .layer(cell.rnnkit(2, 3))
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(3).nOut(1)
                        .build())
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerNetwork(conf).init());
        assertTrue(e.getMessage().contains("FLOAT or DOUBLE, got HALF"), e.getMessage());
    }

    private static INDArray steps(INDArray x, int from, int to) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    private static void assertArrayClose(INDArray expected, INDArray actual, double tolerance) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance, "max |difference| " + diff + " > " + tolerance);
    }

    /**
     * Truncated BPTT's forward path: a segment run with rnnActivateUsingStoredState starts from the
     * state the previous segment stored, so two segments give the whole sequence's output.
     */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void tbpttSegmentsCarryState(Cell cell) {
        MultiLayerNetwork net = net(base().layer(cell.rnnkit(N_IN, H)).layer(rnnOut(H)));
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
                .layer(new Bidirectional(cell.rnnkit(N_IN, H)))
                .layer(new LastTimeStep(cell.rnnkit(2 * H, H)))
                .layer(out(H)).build());
        net.init();
        net.fit(new DataSet(input(), oneHot(2, DataType.DOUBLE, MB, CLASSES, 0)));
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(input()), restored.output(input()));
        Layer inner = ((LastTimeStep) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getUnderlying();
        assertEquals(cell.rnnkit(2 * H, H).getClass(), inner.getClass());
        if (cell.dl4j != null) {
            assertTrue(!cell.rnnkit(N_IN, H).equals(cell.dl4j.apply(N_IN, H))
                    && !cell.dl4j.apply(N_IN, H).equals(cell.rnnkit(N_IN, H)), "rnnkit and DL4J configs differ");
        }
    }

    @Test
    void simpleRnnRefusesLayerNorm() {
        Layer layer = new FusedSimpleRnn.Builder().nIn(N_IN).nOut(H).hasLayerNorm(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net(base().layer(layer).layer(rnnOut(H))));
        assertTrue(e.getMessage().contains("layer normalisation"), e.getMessage());
    }

    @Test
    void simpleRnnOtherActivationsTakeThePreActivationPath() {
        check(net(base().layer(new FusedSimpleRnn.Builder().nIn(N_IN).nOut(H).activation(Activation.SOFTSIGN).build())
                .layer(rnnOut(H))), input(), perStepLabels(), null, null);
        MultiLayerNetwork ours = net(base().layer(new FusedSimpleRnn.Builder().nIn(N_IN).nOut(H)
                .activation(Activation.SOFTSIGN).build()).layer(rnnOut(H)));
        MultiLayerNetwork theirs = net(base().layer(new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn
                .Builder().nIn(N_IN).nOut(H).activation(Activation.SOFTSIGN).build()).layer(rnnOut(H)));
        assertTrue(theirs.output(input()).equalsWithEps(ours.output(input()), SAME));
    }

    @Test
    void lstmOtherActivationsTakeThePreActivationPath() {
        java.util.function.Function<Boolean, Layer> layer = rnnkit -> {
            var b = rnnkit ? new FusedLSTM.Builder() : new org.deeplearning4j.nn.conf.layers.LSTM.Builder();
            return b.nIn(N_IN).nOut(H).activation(Activation.SOFTSIGN)
                    .gateActivationFunction(Activation.HARDSIGMOID).build();
        };
        MultiLayerNetwork ours = net(base().layer(layer.apply(true)).layer(rnnOut(H)));
        check(ours, input(), perStepLabels(), null, null);
        MultiLayerNetwork theirs = net(base().layer(layer.apply(false)).layer(rnnOut(H)));
        assertTrue(theirs.output(input()).equalsWithEps(ours.output(input()), SAME));
    }

    @Test
    void gruOtherActivationsTakeThePreActivationPath() {
        // hard sigmoid gates and softsign candidate take the derivative-from-pre-activation path
        check(net(base().layer(new FusedGRU.Builder().nIn(N_IN).nOut(H).gateActivationFunction(Activation.HARDSIGMOID)
                .activation(Activation.SOFTSIGN).build()).layer(rnnOut(H))), input(), perStepLabels(), null, null);
    }

    /** Every setting of DL4J's builder reaches rnnkit's configuration: equal apart from the class. */
    @Test
    void lstmBuilderCarriesDl4jSettings() {
        org.deeplearning4j.nn.conf.layers.LSTM theirs = new org.deeplearning4j.nn.conf.layers.LSTM.Builder()
                .name("l").nIn(3).nOut(5).activation(Activation.SOFTSIGN).gateActivationFunction(Activation.HARDSIGMOID)
                .forgetGateBiasInit(2.5).biasInit(0.3).l2(0.01).dropOut(0.7).updater(new Adam(0.1))
                .weightInitRecurrent(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
                .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NWC).build();
        FusedLSTM ours = new FusedLSTM.Builder().name("l").nIn(3).nOut(5).activation(Activation.SOFTSIGN)
                .gateActivationFunction(Activation.HARDSIGMOID).forgetGateBiasInit(2.5).biasInit(0.3).l2(0.01)
                .dropOut(0.7).updater(new Adam(0.1))
                .weightInitRecurrent(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
                .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NWC).build();
        assertEquals(theirs.toString(), ours.toString().substring("rnnkit.".length()));
        assertEquals(theirs.toString(), FusedLSTM.of(theirs).toString().substring("rnnkit.".length()));
    }

    static {
        LayerWorkspaceMgr.noWorkspaces(); // class init of DL4J's workspace manager before the first test
        Nd4j.create(1);
    }
}
