package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The layers split across threads ({@link LayerThreads}): explicitly two threads here, as the test JVMs
 * default to one. A minibatch of 19 rows splits into parts of 9 and 10 rows (uneven, so an offset mix-up
 * shows), with masks that differ by row and widths with vector tails.
 */
class LayerThreadsTest {

    private static final int N_IN = 3;
    private static final int T = 7;
    private static final int MB = 19;
    private static final int CLASSES = 3;
    /**
     * Between thread counts: the per-part bias-gradient sums are added in another order (float sums of ~10
     * rows, relative rounding ~1e-7 each), and BLAS may round a row block's products differently from the
     * whole matrix's; five Adam steps carry that into the parameters at about the same relative size. A wrong
     * row offset or mask would be off by orders of magnitude more.
     */
    private static final double ACROSS_THREAD_COUNTS = 1e-5;

    private final int before = LayerThreads.get();

    @AfterEach
    void restore() {
        LayerThreads.set(before);
    }

    /** Rows 0..3 of each part end early, one row has a gap, the rest run the whole length. */
    private static INDArray mask() {
        INDArray m = org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, MB, T);
        for (int i : new int[] {0, 3, 9, 12}) {
            m.get(NDArrayIndex.point(i), NDArrayIndex.interval(4 + i % 3, T)).assign(0);
        }
        m.putScalar(15, 2, 0.0);
        return m;
    }

    @Test
    void splitsIntoPartsOfAtLeastMinRows() {
        LayerThreads.set(2);
        assertEquals(2, LayerThreads.parts(MB));
        assertEquals(1, LayerThreads.parts(2 * LayerThreads.MIN_ROWS - 1));
        assertEquals(1, LayerThreads.parts(1), "single-sequence inference stays on the calling thread");
        assertEquals(9, LayerThreads.start(MB, 2, 1));
        LayerThreads.set(1);
        assertEquals(1, LayerThreads.parts(MB));
        assertThrows(IllegalArgumentException.class, () -> LayerThreads.set(0));
    }

    @Test
    void aFailingPartIsRethrownAfterAllEnd() {
        LayerThreads.set(2);
        int[] ran = new int[2];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LayerThreads.run(2, p -> {
            ran[p] = 1;
            if (p == 1) {
                throw new IllegalStateException("part 1");
            }
        }));
        assertEquals("part 1", e.getMessage());
        assertArrayEquals(new int[] {1, 1}, ran);
    }

    /** Two threads in FLOAT (SIMD lanes, parts) against one in DOUBLE (scalar path): float rounding only. */
    @ParameterizedTest
    @EnumSource(value = FloatLanesTest.Cell.class, names = {"LSTM", "GRU", "SIMPLE_RNN"})
    void twoThreadsMatchTheDoublePath(FloatLanesTest.Cell cell) {
        LayerThreads.set(2);
        MultiLayerNetwork[] nets = FloatLanesTest.pair(b -> b.layer(cell.layer.apply(N_IN, 13))
                .layer(cell.layer.apply(13, 13)).layer(FloatLanesTest.rnnOut(13)));
        INDArray mask = mask();
        FloatLanesTest.assertSame(nets, uniform(21, DataType.DOUBLE, MB, N_IN, T),
                oneHot(22, DataType.DOUBLE, MB, CLASSES, T), mask, mask);
    }

    /** Truncated BPTT: parts carry their rows' state from segment to segment. */
    @ParameterizedTest
    @EnumSource(value = FloatLanesTest.Cell.class, names = {"LSTM", "GRU", "SIMPLE_RNN"})
    void twoThreadsTruncatedBackprop(FloatLanesTest.Cell cell) {
        LayerThreads.set(2);
        MultiLayerNetwork[] nets = FloatLanesTest.pair(b -> b.layer(cell.layer.apply(N_IN, 16))
                .layer(FloatLanesTest.rnnOut(16)).backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(T)
                .tBPTTBackwardLength(3));
        FloatLanesTest.assertSame(nets, uniform(23, DataType.DOUBLE, MB, N_IN, T),
                oneHot(24, DataType.DOUBLE, MB, CLASSES, T), null, null);
    }

    private static MultiLayerNetwork trained(FloatLanesTest.Cell cell, int threads) {
        LayerThreads.set(threads);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).list().layer(cell.layer.apply(N_IN, 13))
                .layer(cell.layer.apply(13, 13)).layer(FloatLanesTest.rnnOut(13))
                .setInputType(InputType.recurrent(N_IN)).build());
        net.init();
        INDArray mask = mask().castTo(DataType.FLOAT);
        DataSet batch = new DataSet(uniform(25, DataType.FLOAT, MB, N_IN, T), oneHot(26, DataType.FLOAT, MB, CLASSES,
                T), mask, mask);
        for (int i = 0; i < 5; i++) {
            net.fit(batch);
        }
        return net;
    }

    /** Same seed, same thread count: the same parameters to the bit. */
    @ParameterizedTest
    @EnumSource(value = FloatLanesTest.Cell.class, names = {"LSTM", "GRU", "SIMPLE_RNN"})
    void sameThreadCountSameBits(FloatLanesTest.Cell cell) {
        float[] first = trained(cell, 2).params().toFloatVector();
        float[] second = trained(cell, 2).params().toFloatVector();
        assertArrayEquals(first, second);
    }

    /** One thread against two: the same training up to float rounding ({@link #ACROSS_THREAD_COUNTS}). */
    @ParameterizedTest
    @EnumSource(value = FloatLanesTest.Cell.class, names = {"LSTM", "GRU", "SIMPLE_RNN"})
    void threadCountsAgreeWithinRounding(FloatLanesTest.Cell cell) {
        MultiLayerNetwork one = trained(cell, 1);
        MultiLayerNetwork two = trained(cell, 2);
        FloatLanesTest.assertClose(one.params(), two.params(), ACROSS_THREAD_COUNTS, "parameters after 5 steps");
        INDArray x = uniform(27, DataType.FLOAT, MB, N_IN, T);
        LayerThreads.set(1);
        INDArray y1 = one.output(x);
        one.setInput(x);
        one.setLabels(oneHot(28, DataType.FLOAT, MB, CLASSES, T));
        one.computeGradientAndScore();
        Gradient g1 = one.gradient();
        LayerThreads.set(2);
        FloatLanesTest.assertClose(y1, one.output(x), ACROSS_THREAD_COUNTS, "output");
        MultiLayerNetwork same = one.clone();
        same.setInput(x);
        same.setLabels(oneHot(28, DataType.FLOAT, MB, CLASSES, T));
        same.computeGradientAndScore();
        for (Map.Entry<String, INDArray> e : g1.gradientForVariable().entrySet()) {
            FloatLanesTest.assertClose(e.getValue(), same.gradient().gradientForVariable().get(e.getKey()),
                    ACROSS_THREAD_COUNTS, e.getKey());
        }
    }

    /** rnnTimeStep over parts: each part starts from its rows of the stored state. */
    @ParameterizedTest
    @EnumSource(value = FloatLanesTest.Cell.class, names = {"LSTM", "GRU", "SIMPLE_RNN"})
    void streamingStepsMatchTheWholeSequence(FloatLanesTest.Cell cell) {
        MultiLayerNetwork net = trained(cell, 2);
        INDArray x = uniform(29, DataType.FLOAT, MB, N_IN, T);
        INDArray whole = net.output(x);
        net.rnnClearPreviousState();
        net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).dup());
        INDArray rest = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, T))
                .dup());
        FloatLanesTest.assertClose(whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, T)),
                rest, 1e-6, "second segment, from the stored state");
    }
}
