package io.rnnkit.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnkit.nn.layers.FusedGRU;
import io.rnnkit.nn.layers.Nd4jPrecision;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The forecast heads: backprop through DL4J's GradientCheckUtil in double precision (dense, many-to-one GRU and
 * per-step GRU networks, with label masks), and the values against independent references (the pinball loss
 * written out by hand, the Gaussian log-density of Commons Math).
 */
class ProbabilisticHeadsTest {

    private static final double[] LEVELS = {0.1, 0.5, 0.9};
    private static final int TARGETS = 2;
    private static final int MB = 4;
    private static final int N_IN = 3;
    private static final int T = 5;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.DOUBLE);

    private static INDArray uniform(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape).muli(2).subi(1);
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7).updater(new NoOp()).list();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void check(MultiLayerNetwork net, INDArray in, INDArray labels, INDArray labelMask) {
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(in).labels(labels)
                .labelMask(labelMask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
        assertTrue(ok, "gradient check failed (see log for the failing parameters)");
    }

    private static MultiLayerNetwork dense(ILossFunction loss, IActivation head, int width) {
        return init(base().layer(new DenseLayer.Builder().nIn(N_IN).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(head).nIn(5).nOut(width).build()).build());
    }

    private static MultiLayerNetwork manyToOne(ILossFunction loss, IActivation head, int width) {
        return init(base().layer(new LastTimeStep(new FusedGRU.Builder().nIn(N_IN).nOut(4).build()))
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(head).nIn(4).nOut(width).build()).build());
    }

    private static MultiLayerNetwork perStep(ILossFunction loss, IActivation head, int width) {
        return init(base().layer(new FusedGRU.Builder().nIn(N_IN).nOut(4).build())
                .layer(new RnnOutputLayer.Builder().lossFunction(loss).activation(head).nIn(4).nOut(width).build()).build());
    }

    /** Targets spread wide enough that each quantile sits above some and below others (the pinball's kink is never hit). */
    private static INDArray targets(long... shape) {
        return uniform(11, shape).muli(3);
    }

    @Test
    void quantileHeadGradientsMatchFiniteDifferences() {
        int width = TARGETS * LEVELS.length;
        check(dense(new QuantileLoss(LEVELS), new MonotoneQuantiles(LEVELS.length), width), uniform(1, MB, N_IN),
                HeadLabels.repeat(targets(MB, TARGETS), LEVELS.length), null);
        check(manyToOne(new QuantileLoss(LEVELS), new MonotoneQuantiles(LEVELS.length), width), uniform(2, MB, N_IN, T),
                HeadLabels.repeat(targets(MB, TARGETS), LEVELS.length), null);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, MB, T);
        mask.putScalar(0, T - 1, 0.0);
        mask.putScalar(2, 0, 0.0);
        check(perStep(new QuantileLoss(LEVELS), new MonotoneQuantiles(LEVELS.length), width), uniform(3, MB, N_IN, T),
                HeadLabels.repeat(targets(MB, TARGETS, T), LEVELS.length), mask);
    }

    @Test
    void gaussianHeadGradientsMatchFiniteDifferences() {
        int width = TARGETS * 2;
        check(dense(new GaussianNllLoss(), new GaussianParameters(), width), uniform(4, MB, N_IN),
                HeadLabels.repeat(targets(MB, TARGETS), 2), null);
        check(manyToOne(new GaussianNllLoss(), new GaussianParameters(), width), uniform(5, MB, N_IN, T),
                HeadLabels.repeat(targets(MB, TARGETS), 2), null);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, MB, T);
        mask.putScalar(1, T - 1, 0.0);
        check(perStep(new GaussianNllLoss(), new GaussianParameters(), width), uniform(6, MB, N_IN, T),
                HeadLabels.repeat(targets(MB, TARGETS, T), 2), mask);
    }

    @Test
    void pinballLossIsTheHandWrittenSum() {
        // one row, one target y = 1.0, identity activation so the outputs are the quantiles themselves
        INDArray q = Nd4j.createFromArray(new double[][] {{0.0, 1.5, 2.0}});
        INDArray y = HeadLabels.repeat(Nd4j.createFromArray(new double[][] {{1.0}}), 3);
        double expected = 0.1 * (1.0 - 0.0) + (0.5 - 1) * (1.0 - 1.5) + (0.9 - 1) * (1.0 - 2.0);
        assertEquals(expected, new QuantileLoss(LEVELS).computeScore(y, q, Activation.IDENTITY.getActivationFunction(), null, false), 1e-12);
        INDArray grad = new QuantileLoss(LEVELS).computeGradient(y, q, Activation.IDENTITY.getActivationFunction(), null);
        assertArrayEquals(new double[] {-0.1, 0.5, 0.1}, grad.toDoubleVector(), 1e-12);
    }

    @Test
    void quantilesNeverCrossWhateverTheInputs() {
        INDArray in = uniform(9, 50, 4 * LEVELS.length).muli(40); // far into softplus' flat and steep parts
        INDArray out = new MonotoneQuantiles(LEVELS.length).getActivation(in.dup(), false);
        for (int r = 0; r < 50; r++) {
            for (int c = 0; c < out.size(1); c++) {
                if (c % LEVELS.length > 0) {
                    assertTrue(out.getDouble(r, c) >= out.getDouble(r, c - 1), "row " + r + " column " + c);
                } else {
                    assertEquals(in.getDouble(r, c), out.getDouble(r, c), 0.0, "a group's lowest quantile is its input");
                }
            }
        }
    }

    @Test
    void gaussianNllIsCommonsMathsLogDensity() {
        double mu = 0.3;
        double rawScale = -0.4;
        double y = 1.7;
        double sigma = Math.log1p(Math.exp(rawScale)) + GaussianParameters.SCALE_FLOOR;
        INDArray pre = Nd4j.createFromArray(new double[][] {{mu, rawScale}});
        INDArray labels = Nd4j.createFromArray(new double[][] {{y, y}});
        double nll = new GaussianNllLoss().computeScore(labels, pre, new GaussianParameters(), null, false);
        assertEquals(-new NormalDistribution(mu, sigma).logDensity(y), nll, 1e-12);
    }

    @Test
    void headsSurviveTheConfigurationsJson() {
        MultiLayerConfiguration quantiles = dense(new QuantileLoss(LEVELS), new MonotoneQuantiles(3), 6).getLayerWiseConfigurations();
        assertEquals(quantiles, MultiLayerConfiguration.fromJson(quantiles.toJson()));
        MultiLayerConfiguration gaussian = dense(new GaussianNllLoss(), new GaussianParameters(), 4).getLayerWiseConfigurations();
        assertEquals(gaussian, MultiLayerConfiguration.fromJson(gaussian.toJson()));
    }

    @Test
    void badLevelsAndShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QuantileLoss(new double[] {0.5, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> new QuantileLoss(new double[] {0.0, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> new QuantileLoss(new double[] {}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MonotoneQuantiles(3).getActivation(Nd4j.zeros(DataType.DOUBLE, 2, 4), false));
        assertTrue(e.getMessage().contains("multiple of 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QuantileLoss(LEVELS).computeScore(Nd4j.zeros(DataType.DOUBLE, 2, 3),
                Nd4j.zeros(DataType.DOUBLE, 2, 6), new MonotoneQuantiles(3), null, true));
    }
}
