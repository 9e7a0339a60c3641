package io.rnnkit.nn.layers;

import io.rnnkit.bench.RecurrentBenchmark;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Shared builders and data for the GRU tests. */
final class GruTestSupport {

    private GruTestSupport() {
    }

    /** A network of {@code layers} GRU layers only (no output layer), in double precision. */
    static MultiLayerNetwork gruStack(int nIn, int hidden, int layers) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp()).list();
        for (int l = 0; l < layers; l++) {
            b.layer(new GRU.Builder().nIn(l == 0 ? nIn : hidden).nOut(hidden).build());
        }
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView(); // layer-level backprop writes into these views
        return net;
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
