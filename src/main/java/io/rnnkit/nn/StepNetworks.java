package io.rnnkit.nn;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step-by-step twin of a network, for feeding a sequence one time step at a time with
 * {@link MultiLayerNetwork#rnnTimeStep}: same layers, same parameters, but an output after every step.
 *
 * <p>Why a twin: DL4J M2.1's {@code rnnTimeStep} steps the layer inside a {@link LastTimeStep} wrapper but
 * skips the wrapper itself, so a many-to-one network hands a 3-d activation to its dense {@link OutputLayer}
 * and fails ("Input that is not a matrix; expected matrix (rank 2), got rank 3 array"). The twin drops the
 * wrapper and turns the dense output layer into an {@link RnnOutputLayer} with the same weights, bias,
 * activation and loss, which applies the same affine map and activation at every step; at the last step of a
 * sequence its output equals the many-to-one network's. The parameter layout of both output layers is
 * DL4J's default {@code W, b}, so the twin can be initialised on the original's flattened parameter array
 * itself ({@link #sharing}) and holds no copy of the weights.
 *
 * <p>A {@link Bidirectional} layer cannot step: its backward half reads the sequence from the end, so no
 * output exists before the whole sequence has arrived ({@link #blocker} says so).
 */
public final class StepNetworks {
    private StepNetworks() {
    }

    /** Why the network cannot be fed one step at a time, naming the layer; null when it can. */
    public static String blocker(MultiLayerConfiguration conf) {
        if (!conf.getInputPreProcessors().isEmpty()) {
            return "its layers are joined by input preprocessors " + conf.getInputPreProcessors().keySet()
                    + ", which reshape whole sequences";
        }
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (unwrapped(conf.getConf(i).getLayer()) instanceof Bidirectional) {
                return "layer " + i + " is bidirectional: its backward pass reads the sequence from the end, so it has no output"
                        + " until the whole sequence is known";
            }
        }
        return null;
    }

    /** The configuration of the step twin; call only when {@link #blocker} is null. */
    public static MultiLayerConfiguration twin(MultiLayerConfiguration conf) {
        String blocker = blocker(conf);
        if (blocker != null) {
            throw new IllegalArgumentException("the network cannot be fed step by step: " + blocker);
        }
        MultiLayerConfiguration twin = conf.clone();
        for (NeuralNetConfiguration layerConf : twin.getConfs()) {
            Layer layer = unwrapped(layerConf.getLayer());
            layerConf.setLayer(layer instanceof OutputLayer dense ? perStep(dense) : layer);
        }
        return twin;
    }

    /** A network of {@code conf} whose parameters are the given flattened array itself, not a copy. */
    public static MultiLayerNetwork sharing(MultiLayerConfiguration conf, INDArray flattenedParameters) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
        net.init(flattenedParameters, false);
        return net;
    }

    private static Layer unwrapped(Layer layer) {
        return layer instanceof LastTimeStep wrapper ? wrapper.getUnderlying() : layer;
    }

    private static RnnOutputLayer perStep(OutputLayer dense) {
        return new RnnOutputLayer.Builder(dense.getLossFn())
                .nIn(dense.getNIn()).nOut(dense.getNOut())
                .activation(dense.getActivationFn())
                .hasBias(dense.hasBias())
                .name(dense.getLayerName())
                .build();
    }
}
