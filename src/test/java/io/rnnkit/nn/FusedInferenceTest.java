package io.rnnkit.nn;

import io.rnnkit.config.CellType;
import io.rnnkit.config.Implementation;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FusedInference} answers what {@link MultiLayerNetwork#output} answers. The recurrent layers run the same code
 * either way, and a many-to-one head runs ND4J's own product, bias and activation, so FLOAT many-to-one answers are
 * bit for bit {@code output}'s. Tolerances elsewhere: a many-to-many head sums in double in Java where {@code output}
 * uses BLAS in float, and softmax uses Java's {@code exp}, so FLOAT every-step answers agree to a few float roundings
 * of values of order 1 (1e-5 allows ~100 ulps). DOUBLE answers were measured up to 2e-9 apart in the many-to-one
 * shapes with masks, whose head is ND4J's as in FLOAT (not pinned down), so DOUBLE allows 1e-8, far below any
 * float difference.
 */
class FusedInferenceTest {

    /** Bidirectional: the first layer; BIDIRECTIONAL_LAST_MANY_TO_ONE is one bidirectional layer in LastTimeStep. */
    enum Shape {
        MANY_TO_ONE, STACKED_MANY_TO_ONE, BIDIRECTIONAL_MANY_TO_ONE, BIDIRECTIONAL_LAST_MANY_TO_ONE, MANY_TO_MANY,
        BIDIRECTIONAL_MANY_TO_MANY
    }

    static List<Arguments> networks() {
        List<Arguments> out = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                for (Shape shape : Shape.values()) {
                    out.add(Arguments.of(cell, type, shape));
                }
            }
        }
        return out;
    }

    private static MultiLayerNetwork network(CellType cell, DataType type, Shape shape, boolean classes, boolean layerNorm) {
        int nIn = 3;
        int units = 5;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(11).dataType(type).list();
        boolean manyToOne = shape.name().endsWith("TO_ONE");
        boolean bidirectional = shape.name().startsWith("BIDIRECTIONAL");
        int layers = shape == Shape.MANY_TO_ONE || shape == Shape.BIDIRECTIONAL_LAST_MANY_TO_ONE ? 1 : 2;
        int width = nIn;
        for (int l = 0; l < layers; l++) {
            Layer layer = RecurrentLayers.cell(cell, Implementation.RNNKIT, width, units, Activation.TANH, layerNorm);
            if (bidirectional && l == 0) {
                layer = new Bidirectional(Bidirectional.Mode.CONCAT, layer);
            }
            width = bidirectional && l == 0 ? 2 * units : units;
            list.layer(manyToOne && l == layers - 1 ? new LastTimeStep(layer) : layer);
        }
        Activation activation = classes ? Activation.SOFTMAX : Activation.IDENTITY;
        LossFunctions.LossFunction loss = classes ? LossFunctions.LossFunction.MCXENT : LossFunctions.LossFunction.MSE;
        list.layer(manyToOne ? new OutputLayer.Builder(loss).nIn(width).nOut(4).activation(activation).build()
                : new RnnOutputLayer.Builder(loss).nIn(width).nOut(4).activation(activation).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.recurrent(nIn)).build());
        net.init();
        return net;
    }

    /** Three sequences of lengths 7, 4 and 1 padded to 7, and their mask. */
    private static INDArray[] batch(DataType type) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 7).subi(0.5).muli(3).castTo(type);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 3, 7);
        int[] lengths = {7, 4, 1};
        for (int i = 0; i < 3; i++) {
            for (int t = lengths[i]; t < 7; t++) {
                mask.putScalar(i, t, 0);
                for (int k = 0; k < 3; k++) {
                    x.putScalar(new int[] {i, k, t}, 0);
                }
            }
        }
        return new INDArray[] {x, mask};
    }

    private static void assertSame(INDArray expected, INDArray actual, DataType type) {
        assertArrayEquals(expected.shape(), actual.shape());
        double tolerance = type == DataType.DOUBLE ? 1e-8 : expected.rank() == 2 ? 0 : 1e-5;
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tolerance, "element " + i + " of " + Arrays.toString(expected.shape()));
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("networks")
    void answersWhatOutputAnswersWithAndWithoutMasks(CellType cell, DataType type, Shape shape) {
        MultiLayerNetwork net = network(cell, type, shape, true, false);
        FusedInference inference = FusedInference.of(net);
        assertTrue(inference.direct());
        INDArray[] b = batch(type);
        INDArray single = b[0].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray masked = inference.output(b[0], b[1]);
        assertSame(net.output(b[0], false, b[1], null), masked, type);
        INDArray unmasked = inference.output(b[0], null);
        assertSame(net.output(b[0], false, null, null), unmasked, type);
        assertSame(net.output(single), inference.output(single, null), type);
        // each answer is the caller's: later calls (other shapes, reused arrays) leave it as it was
        assertSame(net.output(b[0], false, b[1], null), masked, type);
    }

    /**
     * A single sequence's step products use recurrent weights packed once and kept while they stay the same; an updater
     * or a restore changes them in place, and the next answer must follow (against a network that never saw the old ones).
     */
    @Test
    void aSingleSequenceFollowsWeightsChangedInPlace() {
        for (CellType cell : CellType.values()) {
            MultiLayerNetwork net = network(cell, DataType.FLOAT, Shape.STACKED_MANY_TO_ONE, true, false);
            FusedInference inference = FusedInference.of(net);
            INDArray single = batch(DataType.FLOAT)[0].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
            INDArray before = inference.output(single, null).dup();
            INDArray again = inference.output(single, null).dup();
            assertEquals(before, again, cell + ": the same weights, the same answer");
            net.params().muli(1.7); // in place, as DL4J's updater and a restore of the best epoch write them
            MultiLayerNetwork fresh = network(cell, DataType.FLOAT, Shape.STACKED_MANY_TO_ONE, true, false);
            fresh.setParams(net.params().dup());
            INDArray after = inference.output(single, null);
            assertFalse(before.equals(after), cell + ": the answer changed with the weights");
            assertSame(fresh.output(single), after, DataType.FLOAT);
            assertSame(fresh.output(single), net.output(single), DataType.FLOAT);
        }
    }

    @Test
    void regressionAndLayerNormalisedCellsToo() {
        for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU}) {
            for (Shape shape : new Shape[] {Shape.STACKED_MANY_TO_ONE, Shape.MANY_TO_MANY}) {
                MultiLayerNetwork net = network(cell, DataType.FLOAT, shape, false, true);
                FusedInference inference = FusedInference.of(net);
                assertTrue(inference.direct());
                INDArray[] b = batch(DataType.FLOAT);
                assertSame(net.output(b[0], false, b[1], null), inference.output(b[0], b[1]), DataType.FLOAT);
            }
        }
    }

    @Test
    void networksItDoesNotCoverRunOutputItself() {
        // DL4J's own LSTM cell
        MultiLayerNetwork dl4jCell = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new LastTimeStep(RecurrentLayers.cell(CellType.LSTM, Implementation.DL4J, 3, 5, Activation.TANH, false)))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3)).build());
        dl4jCell.init();
        // an embedding layer in front of rnnkit's cell
        MultiLayerNetwork embedded = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(6).nOut(3).build())
                .layer(RecurrentLayers.cell(CellType.GRU, Implementation.RNNKIT, 3, 5, Activation.TANH, false))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(6)).build());
        embedded.init();
        INDArray[] b = batch(DataType.FLOAT);
        FusedInference viaCell = FusedInference.of(dl4jCell);
        assertFalse(viaCell.direct());
        assertEquals(dl4jCell.output(b[0], false, b[1], null), viaCell.output(b[0], b[1]));
        assertTrue(Arrays.stream(dl4jCell.getLayers()).allMatch(l -> l.input() == null), "layers cleared");
        FusedInference viaEmbedding = FusedInference.of(embedded);
        assertFalse(viaEmbedding.direct());
        INDArray symbols = Nd4j.createFromArray(new float[][][] {{{1, 5, 2, 0}}});
        assertEquals(embedded.output(symbols), viaEmbedding.output(symbols, null));
    }
}
