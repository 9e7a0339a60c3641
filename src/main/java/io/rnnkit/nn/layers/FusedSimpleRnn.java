package io.rnnkit.nn.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * rnnkit's implementation of DL4J's {@link org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn}
 * (an Elman layer): for input x_t and previous output h_{t-1},
 *
 * <pre>
 *   h_t = f(x_t·W + h_{t-1}·RW + b)
 * </pre>
 *
 * with f the layer's activation and h_{-1} = 0 (or the stored state, for {@code rnnTimeStep} and
 * truncated BPTT). It is DL4J's layer configuration with another implementation
 * ({@link SimpleRnnLayer}): same builder settings, same parameters from DL4J's
 * {@code SimpleRnnParamInitializer} ({@code W} [nIn, H], {@code RW} [H, H], {@code b} [1, H], same
 * keys, same order, same initialisation), so a network's parameters can be copied between the two
 * as they are. Layer normalisation ({@code hasLayerNorm}) is not supported and refused at
 * {@code instantiate}. Masks differ from DL4J's: a masked step leaves the state as it was (DL4J's
 * SimpleRnn resets it to zero); see {@link FusedRecurrentLayer}.
 */
public class FusedSimpleRnn extends org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn {

    /** For JSON/YAML deserialisation. */
    private FusedSimpleRnn() {
        super(new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder());
    }

    private FusedSimpleRnn(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        FusedRecurrentLayer.checkSupported("SimpleRnn", getLayerName(), networkDataType);
        if (hasLayerNorm()) {
            throw new IllegalArgumentException("SimpleRnn (layer \"" + getLayerName() + "\"): rnnkit's SimpleRnn has"
                    + " no layer normalisation; use DL4J's SimpleRnn for hasLayerNorm(true)");
        }
        return FusedRecurrentLayer.setUp(new SimpleRnnLayer(conf, networkDataType), "SimpleRnn", conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedSimpleRnn && super.equals(o);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedSimpleRnn;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 1;
    }

    @Override
    public String toString() {
        return "rnnkit." + super.toString();
    }

    /** DL4J's SimpleRnn builder, building rnnkit's implementation. */
    public static class Builder extends org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder {
        @Override
        @SuppressWarnings("unchecked")
        public FusedSimpleRnn build() {
            return new FusedSimpleRnn(this);
        }
    }
}
