package io.rnnkit.nn.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What code outside this package may ask of rnnkit's recurrent layers ({@link LSTMLayer}, {@link GRULayer},
 * {@link SimpleRnnLayer}) directly, bypassing DL4J's network: {@code io.rnnkit.nn.FusedInference} runs their
 * inference passes one after another.
 */
public final class FusedLayers {
    private FusedLayers() {
    }

    /**
     * Whether {@code layer} is one of rnnkit's recurrent layers in the NCW layout ({@code [mb, n, T]}, as rnnkit
     * builds them) without weight noise, so that {@link #output} computes what {@code activate(false, …)} does.
     */
    public static boolean isFused(Layer layer) {
        return layer instanceof FusedRecurrentLayer<?> f && f.layerConf().getRnnDataFormat() == RNNFormat.NCW
                && f.layerConf().getWeightNoise() == null;
    }

    /**
     * The output {@code [mb, nOut, T]} ('f' order, default strides) of an inference pass of {@code layer} over
     * {@code input} {@code [mb, nIn, T]} with the feature mask {@code mask} {@code [mb, T]} (null: none): the same
     * values as DL4J's {@code activate(false, …)}, but written into an array the layer keeps and overwrites on its
     * next pass, so the caller must read it first. Like any layer, one pass at a time.
     *
     * @throws IllegalArgumentException if {@link #isFused} is false for {@code layer}
     */
    public static INDArray output(Layer layer, INDArray input, INDArray mask) {
        if (!isFused(layer)) {
            throw new IllegalArgumentException("not one of rnnkit's NCW recurrent layers: " + layer);
        }
        return ((FusedRecurrentLayer<?>) layer).inferenceOutput(input, mask);
    }
}
