package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.UpdaterCreator;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Backprop of the GRU against central finite differences, in double precision: DL4J's
 * GradientCheckUtil for the network shapes the layer is used in, and the same kind of check written
 * out for the truncated-BPTT paths, which GradientCheckUtil's score (always from a zero state, never
 * truncated) cannot see.
 */
class GRUGradientCheckTest {

    private static final double EPSILON = 1e-6;
    /** Double precision and smooth functions: a correct gradient agrees far better than DL4J's usual 1e-3. */
    private static final double MAX_REL_ERROR = 1e-5;
    private static final double MIN_ABS_ERROR = 1e-8;

    private static final int MB = 3;
    private static final int N_IN = 3;
    private static final int H = 4;
    private static final int T = 5;
    private static final int CLASSES = 3;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.DOUBLE);

    private static NeuralNetConfiguration.ListBuilder base() {
        return base(0);
    }

    private static NeuralNetConfiguration.ListBuilder base(double l2) {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(42).updater(new NoOp()).l2(l2)
                .list();
    }

    private static GRU.Builder gru(int nIn, int nOut) {
        return new GRU.Builder().nIn(nIn).nOut(nOut);
    }

    private static RnnOutputLayer rnnOut(int nIn) {
        return new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(nIn)
                .nOut(CLASSES).build();
    }

    /** Initialises the network and replaces all parameters (biases too) with Uniform(-0.8, 0.8). */
    private static MultiLayerNetwork net(MultiLayerConfiguration.Builder b) {
        return net(b, RNNFormat.NCW);
    }

    private static MultiLayerNetwork net(MultiLayerConfiguration.Builder b, RNNFormat format) {
        // an explicit input type: DL4J infers none when the first layer is a wrapper (Bidirectional)
        b.setInputType(InputType.recurrent(N_IN, format));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        net.setParams(uniform(7, DataType.DOUBLE, 1, net.numParams()).muli(0.8));
        return net;
    }

    private static void check(MultiLayerNetwork net, INDArray in, INDArray labels, INDArray fMask, INDArray lMask) {
        check(new GradientCheckUtil.MLNConfig().net(net).input(in).labels(labels).inputMask(fMask).labelMask(lMask));
    }

    private static void check(GradientCheckUtil.MLNConfig config) {
        boolean ok = GradientCheckUtil.checkGradients(config.epsilon(EPSILON).maxRelError(MAX_REL_ERROR)
                .minAbsoluteError(MIN_ABS_ERROR).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false));
        assertTrue(ok, "gradient check failed (see log for the failing parameters)");
    }

    @Test
    void singleLayer() {
        MultiLayerNetwork net = net(base().layer(gru(N_IN, H).build()).layer(rnnOut(H)));
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, T), null, null);
    }

    @Test
    void stackedWithL2AndNwcFormat() {
        MultiLayerNetwork net = net(base(0.01)
                .layer(gru(N_IN, H).dataFormat(RNNFormat.NWC).build())
                .layer(gru(H, H).dataFormat(RNNFormat.NWC).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(H)
                        .nOut(CLASSES).dataFormat(RNNFormat.NWC).build()), RNNFormat.NWC);
        INDArray in = uniform(1, DataType.DOUBLE, MB, T, N_IN);
        INDArray labels = oneHot(2, DataType.DOUBLE, MB, CLASSES, T).permute(0, 2, 1).dup();
        check(net, in, labels, null, null);
    }

    @Test
    void otherActivationFunctions() {
        // hard sigmoid gates and softsign candidate take the derivative-from-pre-activation path
        MultiLayerNetwork net = net(base().layer(gru(N_IN, H).gateActivationFunction(Activation.HARDSIGMOID)
                .activation(Activation.SOFTSIGN).build()).layer(rnnOut(H)));
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, T), null, null);
    }

    @Test
    void inputDropout() {
        // on the upper layer, so the input gradient's dropout backprop reaches parameters below
        MultiLayerNetwork net = net(base().layer(gru(N_IN, H).build()).layer(gru(H, H).dropOut(0.6).build())
                .layer(rnnOut(H)));
        // the same dropout mask in every forward pass: reseed before each
        check(new GradientCheckUtil.MLNConfig().net(net).input(uniform(1, DataType.DOUBLE, MB, N_IN, T))
                .labels(oneHot(2, DataType.DOUBLE, MB, CLASSES, T)).callEachIter(n -> Nd4j.getRandom().setSeed(99)));
    }

    @Test
    void bidirectional() {
        MultiLayerNetwork net = net(base()
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT, gru(N_IN, H).build()))
                .layer(rnnOut(2 * H)));
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, T), null, null);
    }

    @Test
    void bidirectionalAddModeWithMask() {
        // ADD hands both directions the same epsilon array: backprop must not modify it
        MultiLayerNetwork net = net(base()
                .layer(new Bidirectional(Bidirectional.Mode.ADD, gru(N_IN, H).build()))
                .layer(rnnOut(H)));
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 3, 1);
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, T), mask, mask);
    }

    @Test
    void manyToOneThroughLastTimeStep() {
        MultiLayerNetwork net = net(base()
                .layer(gru(N_IN, H).build())
                .layer(new LastTimeStep(gru(H, H).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(H)
                        .nOut(CLASSES).build()));
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, 0), null, null);
    }

    @Test
    void maskedVariableLengthManyToOne() {
        MultiLayerNetwork net = net(base()
                .layer(new LastTimeStep(gru(N_IN, H).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(H)
                        .nOut(CLASSES).build()));
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 2, 4);
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, 0), mask, null);
    }

    @Test
    void maskedPaddingAtEndStartAndInside() {
        MultiLayerNetwork net = net(base().layer(gru(N_IN, H).build()).layer(gru(H, H).build()).layer(rnnOut(H)));
        // example 0 has a gap at step 2 (the state's gradient must cross it), 1 is padded at the end,
        // 2 at the start (ALIGN_END)
        INDArray mask = leadingMask(DataType.DOUBLE, T, 5, 3, 0);
        mask.putScalar(0, 2, 0.0);
        mask.get(NDArrayIndex.point(2), NDArrayIndex.interval(2, T)).assign(1);
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, T), mask, mask);
    }

    @Test
    void computationGraphWithMask() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(42).updater(new NoOp()).graphBuilder()
                .addInputs("in")
                .addLayer("gru", gru(N_IN, H).build(), "in")
                .addLayer("out", rnnOut(H), "gru")
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
                .inputs(new INDArray[] {uniform(1, DataType.DOUBLE, MB, N_IN, T)})
                .labels(new INDArray[] {oneHot(2, DataType.DOUBLE, MB, CLASSES, T)})
                .inputMask(new INDArray[] {mask}).labelMask(new INDArray[] {mask})
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check failed (see log for the failing parameters)");
    }

    @Test
    void tbpttNetworkFromZeroState() {
        // Under TBPTT, MultiLayerNetwork trains through rnnActivateUsingStoredState; here from an empty state
        MultiLayerNetwork net = net(base().layer(gru(N_IN, H).build()).layer(rnnOut(H))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(T).tBPTTBackwardLength(T));
        check(net, uniform(1, DataType.DOUBLE, MB, N_IN, T), oneHot(2, DataType.DOUBLE, MB, CLASSES, T), null, null);
    }

    /**
     * A TBPTT segment starting from a carried state: the gradient the network computes must be the
     * derivative of the segment's loss with the carried state held constant.
     */
    @Test
    void tbpttSegmentFromCarriedState() {
        MultiLayerNetwork net = net(base().layer(gru(N_IN, H).build()).layer(gru(H, H).build()).layer(rnnOut(H))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(T).tBPTTBackwardLength(T));
        INDArray in = uniform(1, DataType.DOUBLE, MB, N_IN, T);
        INDArray labels = oneHot(2, DataType.DOUBLE, MB, CLASSES, T);
        Map<String, INDArray> s0 = Map.of(GRULayer.STATE_KEY_PREV_ACTIVATION, uniform(3, DataType.DOUBLE, MB, H));
        Map<String, INDArray> s1 = Map.of(GRULayer.STATE_KEY_PREV_ACTIVATION, uniform(4, DataType.DOUBLE, MB, H));
        Runnable carriedState = () -> {
            net.rnnSetPreviousState(0, s0);
            net.rnnSetPreviousState(1, s1);
            ((GRULayer) net.getLayer(0)).rnnSetTBPTTState(s0);
            ((GRULayer) net.getLayer(1)).rnnSetTBPTTState(s1);
        };
        net.setInput(in);
        net.setLabels(labels);
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
     * the derivative of Σ_{t ≥ T−k} ε_t · h_t with h_{T−k−1} held constant, for the parameters and
     * for the input (whose gradient must be zero before T−k). Also for the layer-normalised GRU, whose norms'
     * backprop must stop at the same point.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedBackwardLength(boolean layerNorm) {
        int steps = 7;
        int k = 3;
        MultiLayerNetwork net = GruTestSupport.gruStack(N_IN, H, 1, layerNorm);
        net.setParams(uniform(7, DataType.DOUBLE, 1, net.numParams()).muli(0.8));
        GRULayer layer = (GRULayer) net.getLayer(0);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = uniform(1, DataType.DOUBLE, MB, N_IN, steps);
        INDArray eps = uniform(2, DataType.DOUBLE, MB, H, steps);
        INDArray state = uniform(3, DataType.DOUBLE, MB, H);
        Map<String, INDArray> carried = Map.of(GRULayer.STATE_KEY_PREV_ACTIVATION, state);

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
}
