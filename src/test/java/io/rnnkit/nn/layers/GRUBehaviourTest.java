package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The GRU inside MultiLayerNetwork beyond the contract every cell keeps ({@link CellContractTest}): training with
 * every updater and truncated BPTT, learning, constraints, builder parity, memory report.
 */
class GRUBehaviourTest {

    private static final int N_IN = 3;
    private static final int H = 5;
    private static final int CLASSES = 3;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.DOUBLE);

    private static NeuralNetConfiguration.Builder base(IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(17).dataType(DataType.DOUBLE).updater(updater);
    }

    /** GRU → LastTimeStep(GRU) → OutputLayer (many-to-one). */
    private static MultiLayerConfiguration manyToOneConf(NeuralNetConfiguration.Builder b, int hidden) {
        return b.list()
                .layer(new FusedGRU.Builder().nOut(hidden).build())
                .layer(new LastTimeStep(new FusedGRU.Builder().nOut(hidden).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build())
                .setInputType(InputType.recurrent(1))
                .build();
    }

    private static INDArray steps(INDArray x, int from, int to) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    @Test
    void trainsWithEveryUpdater() {
        // Every IUpdater of ND4J M2.1 but AdaBelief, whose instantiate() throws for any DL4J network
        // (ArrayIndexOutOfBoundsException, a Dense one too). ND4J's Nadam takes a first step far larger
        // than Adam's at the same rate (a Dense network's loss jumps 0.71 -> 1.38 at 0.01): smaller rate.
        IUpdater[] updaters = {new Sgd(0.1), new Adam(0.01), new AdaMax(0.01), new AdaDelta(), new AdaGrad(0.1),
            new AMSGrad(0.01), new Nadam(0.001), new Nesterovs(0.1, 0.9), new RmsProp(0.01), new NoOp()};
        DataSet ds = new DataSet(uniform(5, DataType.DOUBLE, 8, 1, 6), oneHot(6, DataType.DOUBLE, 8, 2, 0));
        for (IUpdater u : updaters) {
            MultiLayerNetwork net = new MultiLayerNetwork(manyToOneConf(base(u), 4));
            net.init();
            INDArray before = net.params().dup();
            double scoreBefore = net.score(ds);
            for (int i = 0; i < 3; i++) {
                net.fit(ds);
            }
            String name = u.getClass().getSimpleName();
            assertTrue(Double.isFinite(net.score(ds)), name);
            INDArray gruBefore = before.reshape(before.length()).get(NDArrayIndex.interval(0, net.getLayer(0).numParams()));
            INDArray gruAfter = net.getLayer(0).params().reshape(gruBefore.shape());
            // NoOp passes the raw gradient through: a plain gradient step, not frozen parameters
            assertFalse(gruBefore.equalsWithEps(gruAfter, 1e-12), name + " left the GRU parameters unchanged");
            if (!(u instanceof AdaDelta)) { // AdaDelta's first steps are too small to show in 3 iterations
                assertTrue(net.score(ds) < scoreBefore, name + " did not reduce the loss");
            }
        }
    }

    /** Remembering the sign of the first step over 12 steps needs the recurrence and its gradient. */
    @Test
    void learnsALongRangeDependency() {
        int n = 64;
        int steps = 12;
        INDArray x = uniform(7, DataType.DOUBLE, n, 1, steps);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 2);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, x.getDouble(i, 0, 0) > 0 ? 1 : 0, 1.0);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(manyToOneConf(base(new Adam(0.03)), 8));
        net.init();
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < 150; i++) {
            net.fit(ds);
        }
        Evaluation eval = new Evaluation(2);
        eval.eval(y, net.output(x));
        assertTrue(eval.accuracy() > 0.95, "accuracy " + eval.accuracy());
    }

    private static MultiLayerConfiguration tbptt(IUpdater updater, int segment) {
        return base(updater).list()
                .layer(new FusedGRU.Builder().nIn(1).nOut(6).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(6).nOut(1)
                        .build())
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(segment).tBPTTBackwardLength(segment)
                .build();
    }

    /** During fit, each TBPTT segment's forward pass starts from the state the previous one ended in. */
    @Test
    void tbpttFitCarriesTheStateFromSegmentToSegment() {
        MultiLayerNetwork net = new MultiLayerNetwork(tbptt(new Sgd(0.0), 5)); // parameters stay put
        net.init();
        List<INDArray> segments = new java.util.ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onForwardPass(org.deeplearning4j.nn.api.Model model, List<INDArray> activations) {
                segments.add(activations.get(1).detach());
            }
        });
        INDArray x = uniform(8, DataType.DOUBLE, 3, 1, 20);
        net.fit(new DataSet(x, Nd4j.zeros(DataType.DOUBLE, 3, 1, 20)));
        assertEquals(4, segments.size());
        INDArray whole = net.feedForward(x, false).get(1);
        for (int s = 0; s < 4; s++) {
            assertArrayClose(steps(whole, 5 * s, 5 * s + 5), segments.get(s), 1e-12);
        }
    }

    @Test
    void truncatedBpttTrainingLearns() {
        MultiLayerNetwork net = new MultiLayerNetwork(tbptt(new Adam(0.02), 5));
        net.init();
        // target: the input delayed by 2 steps
        INDArray x = uniform(8, DataType.DOUBLE, 16, 1, 20);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 16, 1, 20);
        steps(y, 2, 20).assign(steps(x, 0, 18));
        DataSet ds = new DataSet(x, y);
        double before = net.score(ds);
        for (int i = 0; i < 60; i++) {
            net.fit(ds);
        }
        assertTrue(net.score(ds) < 0.3 * before, "score " + net.score(ds) + " from " + before);
    }

    @Test
    void constraintsOnInputAndRecurrentWeightsAndDropConnect() {
        MultiLayerNetwork net = new MultiLayerNetwork(base(new Sgd(1.0)).list()
                .layer(new FusedGRU.Builder().nOut(4).weightNoise(new DropConnect(0.8))
                        .constrainInputWeights(new MaxNormConstraint(0.3, 1))
                        .constrainRecurrent(new MaxNormConstraint(0.2, 1)).build())
                .layer(new LastTimeStep(new FusedGRU.Builder().nOut(4).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build())
                .setInputType(InputType.recurrent(1))
                .build());
        net.init();
        net.fit(new DataSet(uniform(12, DataType.DOUBLE, 4, 1, 5), oneHot(13, DataType.DOUBLE, 4, 2, 0)));
        Layer gru = net.getLayer(0);
        // MaxNormConstraint over dimension 1: each row (one input unit's weights to all gates) capped
        double wMax = gru.getParam(GRUParamInitializer.INPUT_WEIGHT_KEY).norm2(1).maxNumber().doubleValue();
        double rwMax = gru.getParam(GRUParamInitializer.RECURRENT_WEIGHT_KEY).norm2(1).maxNumber().doubleValue();
        assertTrue(wMax <= 0.3 + 1e-9, "input weight row norm " + wMax);
        assertTrue(rwMax <= 0.2 + 1e-9, "recurrent weight row norm " + rwMax);
    }

    /**
     * Code that builds DL4J's LSTM builds a GRU by changing the class: the same builder methods
     * (gateActivationFunction included, found by name as a generic tool like Arbiter would) apply.
     */
    @Test
    void builtLikeDl4jLstm() throws Exception {
        for (BaseRecurrentLayer.Builder<?> b : List.of(new LSTM.Builder(), new FusedGRU.Builder())) {
            b.nIn(2).nOut(7).activation(Activation.SOFTSIGN).weightInit(WeightInit.XAVIER)
                    .weightInitRecurrent(WeightInit.UNIFORM).dropOut(0.8).l2(1e-3).updater(new Adam(1e-3));
            Method gate = b.getClass().getMethod("gateActivationFunction", Activation.class);
            gate.invoke(b, Activation.HARDSIGMOID);
            BaseRecurrentLayer layer = b.build();
            String name = layer.getClass().getSimpleName();
            assertEquals(7, layer.getNOut(), name);
            assertEquals("softsign", layer.getActivationFn().toString(), name);
            assertEquals("hardsigmoid", layer.getClass().getMethod("getGateActivationFn").invoke(layer).toString(),
                    name);
            assertNotNull(layer.getWeightInitFnRecurrent(), name);
            assertEquals(0.8, ((Dropout) layer.getIDropout()).getP(), name);
            assertEquals(List.of(new L2Regularization(1e-3)), layer.getRegularization(), name);
        }
        FusedGRU defaults = new FusedGRU.Builder().nIn(1).nOut(1).build();
        assertEquals("tanh", defaults.getActivationFn().toString());
        assertEquals("sigmoid", defaults.getGateActivationFn().toString());
    }

    @Test
    void memoryReportCountsParameters() {
        FusedGRU gru = new FusedGRU.Builder().nIn(4).nOut(6).updater(new Adam()).build();
        LayerMemoryReport r = gru.getMemoryReport(InputType.recurrent(4, 10));
        assertEquals(3L * 6 * (4 + 6 + 2), r.getParameterSize());
        assertEquals(2 * r.getParameterSize(), r.getUpdaterStateSize());
        assertEquals(InputType.recurrent(6, 10), r.getOutputType());
    }

    @Test
    void bidirectionalManyToOneTrains() {
        MultiLayerNetwork net = new MultiLayerNetwork(base(new Adam(0.02)).list()
                .layer(new Bidirectional(new FusedGRU.Builder().nOut(4).build()))
                .layer(new LastTimeStep(new FusedGRU.Builder().nOut(4).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build())
                .setInputType(InputType.recurrent(1))
                .build());
        net.init();
        INDArray mask = leadingMask(DataType.DOUBLE, 6, 6, 3, 5, 2);
        DataSet ds = new DataSet(uniform(15, DataType.DOUBLE, 4, 1, 6), oneHot(16, DataType.DOUBLE, 4, 2, 0), mask,
                null);
        double before = net.score(ds);
        for (int i = 0; i < 20; i++) {
            net.fit(ds);
        }
        assertTrue(net.score(ds) < before);
    }

    private static void assertArrayClose(INDArray expected, INDArray actual, double tolerance) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance, "max |difference| " + diff + " > " + tolerance);
    }
}
