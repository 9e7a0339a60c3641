package io.rnnkit.nn;

import io.rnnkit.config.ClippingConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.HeadConfig;
import io.rnnkit.config.HeadKind;
import io.rnnkit.config.LayerConfig;
import io.rnnkit.config.Task;
import io.rnnkit.config.WeightInitKind;
import io.rnnkit.nn.loss.GaussianNllLoss;
import io.rnnkit.nn.loss.GaussianParameters;
import io.rnnkit.nn.loss.MonotoneQuantiles;
import io.rnnkit.nn.loss.QuantileLoss;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.List;

/**
 * Task × cell → {@link MultiLayerConfiguration}, the one place a network is built (docs/architecture.md,
 * "The task type"). A task answering once per sequence: the recurrent layers in order, the last wrapped in
 * {@link LastTimeStep} (which honours feature masks, so each sequence's own last step is used), then a dense
 * output layer. A task answering at every step: the recurrent layers, then an {@link RnnOutputLayer} applied at
 * every step (label masks keep padding out of the loss). Symbol input goes through an embedding layer first.
 * Classes: softmax with cross-entropy; values: identity with mean squared error; a direct forecaster's probabilistic
 * head ({@code model.head}): its group of outputs per target, shaped and scored by io.rnnkit.nn.loss.
 */
public final class NetworkBuilder {
    private NetworkBuilder() {
    }

    /**
     * The initialized network of a config's task: the input width from the task (the vocabulary for symbol input,
     * whose embedding layer this counts in the parameters).
     *
     * @param features   values per step of the data
     * @param vocabulary the input symbols of a task that reads symbols, else null
     * @param outputs    classes or target values per answer
     */
    public static MultiLayerNetwork build(ExperimentConfig config, int features, List<String> vocabulary, int outputs) {
        return build(config, features, vocabulary, outputs, null);
    }

    /**
     * The same with the cross-entropy's weight per class ({@code training.classWeights} resolved on the training
     * split: {@code SplitData.lossWeights}), or null for none.
     */
    public static MultiLayerNetwork build(ExperimentConfig config, int features, List<String> vocabulary, int outputs, double[] classWeights) {
        return build(config, Task.of(config).inputWidth(features, vocabulary), outputs, classWeights);
    }

    /**
     * @param inputs  the task's input width ({@link Task#inputWidth})
     * @param outputs classes or target values per answer
     */
    static MultiLayerNetwork build(ExperimentConfig config, int inputs, int outputs) {
        return build(config, inputs, outputs, null);
    }

    /** @param classWeights the cross-entropy's weight per class, or null for none */
    private static MultiLayerNetwork build(ExperimentConfig config, int inputs, int outputs, double[] classWeights) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(config, inputs, outputs, classWeights));
        net.init();
        return net;
    }

    private static MultiLayerConfiguration configuration(ExperimentConfig config, int inputs, int outputs, double[] classWeights) {
        Task task = Task.of(config);
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .weightInit(weightInit(config.model().weightInit()))
                .updater(Updaters.of(config.training().updater(), config.training().epochs()));
        if (config.model().l2() > 0) {
            base.l2(config.model().l2());
        }
        clipping(base, config.training().gradientClipping());
        NeuralNetConfiguration.ListBuilder list = base.list();
        List<LayerConfig> layers = config.model().layers();
        boolean manyToOne = !task.networkAnswersEveryStep();
        int width = inputs;
        int embedding = config.model().embeddingSize();
        if (embedding > 0) {
            list.layer(new EmbeddingSequenceLayer.Builder().nIn(inputs).nOut(embedding).build());
            width = embedding;
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = RecurrentLayers.of(layers.get(i), width);
            boolean last = i == layers.size() - 1;
            list.layer(last && manyToOne ? new LastTimeStep(layer) : layer);
            width = RecurrentLayers.width(layers.get(i));
        }
        boolean classification = task.isClassification();
        LossFunctions.LossFunction loss = classification ? LossFunctions.LossFunction.MCXENT : LossFunctions.LossFunction.MSE;
        Activation activation = classification ? Activation.SOFTMAX : Activation.IDENTITY;
        // class weights scale each label's cross-entropy term; DL4J applies them per step for an RnnOutputLayer too
        INDArray weights = classWeights == null ? null : Nd4j.create(toFloats(classWeights), 1, classWeights.length);
        ILossFunction lossFunction = !classification ? loss.getILossFunction()
                : task.sparseTargets() ? (weights == null ? new LossSparseMCXENT() : new LossSparseMCXENT(weights))
                : weights == null ? new LossMCXENT() : new LossMCXENT(weights);
        HeadConfig head = task.head();
        if (head.probabilistic()) {
            // a distribution per target: its group of outputs shaped by the head's activation, scored by its loss
            boolean quantile = head.type() == HeadKind.QUANTILE;
            IActivation shape = quantile ? new MonotoneQuantiles(head.groupSize()) : new GaussianParameters();
            ILossFunction headLoss = quantile ? new QuantileLoss(head.levelArray()) : new GaussianNllLoss();
            list.layer(new OutputLayer.Builder().lossFunction(headLoss).nIn(width).nOut((long) outputs * head.groupSize()).activation(shape).build());
        } else if (manyToOne) {
            list.layer(new OutputLayer.Builder().lossFunction(lossFunction).nIn(width).nOut(outputs).activation(activation).build());
        } else {
            // per-step targets over a vocabulary arrive as indices [mb, 1, T] (sparse cross-entropy)
            list.layer(new RnnOutputLayer.Builder().lossFunction(lossFunction).nIn(width).nOut(outputs).activation(activation).build());
        }
        // for text the input type carries the vocabulary size, which is what the embedding layer's nIn must be
        list.setInputType(InputType.recurrent(inputs));
        if (config.training().tbpttLength() > 0) {
            list.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(config.training().tbpttLength())
                    .tBPTTBackwardLength(config.training().tbpttLength());
        }
        MultiLayerConfiguration built = list.build();
        if (config.training().updater().weightDecay() > 0) {
            Updaters.weightDecay(built, config.training().updater().weightDecay());
        }
        return built;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static void clipping(NeuralNetConfiguration.Builder base, ClippingConfig clipping) {
        GradientNormalization normalization = switch (clipping.type()) {
            case NONE -> GradientNormalization.None;
            case CLIP_L2_PER_LAYER -> GradientNormalization.ClipL2PerLayer;
            case CLIP_L2_PER_PARAM_TYPE -> GradientNormalization.ClipL2PerParamType;
            case CLIP_ELEMENT_WISE -> GradientNormalization.ClipElementWiseAbsoluteValue;
            case RENORMALIZE_L2_PER_LAYER -> GradientNormalization.RenormalizeL2PerLayer;
        };
        base.gradientNormalization(normalization).gradientNormalizationThreshold(clipping.threshold());
    }

    static WeightInit weightInit(WeightInitKind kind) {
        return switch (kind) {
            case XAVIER -> WeightInit.XAVIER;
            case XAVIER_UNIFORM -> WeightInit.XAVIER_UNIFORM;
            case LECUN_NORMAL -> WeightInit.LECUN_NORMAL;
            case LECUN_UNIFORM -> WeightInit.LECUN_UNIFORM;
            case RELU -> WeightInit.RELU;
            case RELU_UNIFORM -> WeightInit.RELU_UNIFORM;
            case NORMAL -> WeightInit.NORMAL;
            case UNIFORM -> WeightInit.UNIFORM;
        };
    }
}
