package io.rnnkit.nn.layers;

import io.rnnkit.bench.RecurrentBenchmark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Shared builders, data and checks for the tests of rnnkit's recurrent layers. */
final class GruTestSupport {

    private GruTestSupport() {
    }

    /** A network of {@code layers} GRU layers only (no output layer), in double precision. */
    static MultiLayerNetwork gruStack(int nIn, int hidden, int layers) {
        return gruStack(nIn, hidden, layers, false);
    }

    /** The same, of layer-normalised GRUs when {@code layerNorm}. */
    static MultiLayerNetwork gruStack(int nIn, int hidden, int layers, boolean layerNorm) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp()).list();
        for (int l = 0; l < layers; l++) {
            b.layer(new FusedGRU.Builder().layerNorm(layerNorm).nIn(l == 0 ? nIn : hidden).nOut(hidden).build());
        }
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView(); // layer-level backprop writes into these views
        return net;
    }

    /**
     * Builds the network for input of {@code nIn} features, initialises it and replaces all parameters with
     * Uniform(-0.8, 0.8).
     */
    static MultiLayerNetwork randomised(MultiLayerConfiguration.Builder b, int nIn) {
        b.setInputType(InputType.recurrent(nIn));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        net.setParams(uniform(7, DataType.DOUBLE, 1, net.numParams()).muli(0.8));
        return net;
    }

    /**
     * DL4J's GradientCheckUtil with central differences of 1e-6 and a relative error of at most 1e-5: double
     * precision and smooth functions, so a correct gradient agrees far better than DL4J's usual 1e-3.
     */
    static void checkGradients(MultiLayerNetwork net, INDArray in, INDArray labels, INDArray mask, INDArray lMask) {
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(in)
                .labels(labels).inputMask(mask).labelMask(lMask).epsilon(1e-6).maxRelError(1e-5)
                .minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false));
        assertTrue(ok, "gradient check failed (see log for the failing parameters)");
    }

    /** Uniform(-1, 1) values of shape {@code shape}, from a fixed seed. */
    static INDArray uniform(long seed, DataType type, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(type, shape).muli(2).subi(1);
    }

    /** One-hot labels [mb, classes, T] (or [mb, classes] when steps is 0), from a fixed seed. */
    static INDArray oneHot(long seed, DataType type, int mb, int classes, int steps) {
        return RecurrentBenchmark.oneHot(seed, type, mb, classes, steps);
    }

    /** Feature mask [mb, steps] with example i having {@code lengths[i]} real steps at the start. */
    static INDArray leadingMask(DataType type, int steps, int... lengths) {
        INDArray m = Nd4j.zeros(type, lengths.length, steps);
        for (int i = 0; i < lengths.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }
}
