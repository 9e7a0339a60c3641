package io.rnnkit.nn.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of a layer-normalised cell: those of the plain cell ({@code base}, first in the flat vector, in
 * its own layout, so a plain cell's parameters are a prefix), then the gains and biases of {@link LayerNorm} on the
 * input-to-hidden ({@value #INPUT_GAIN_KEY}, {@value #INPUT_BIAS_KEY}) and hidden-to-hidden
 * ({@value #RECURRENT_GAIN_KEY}, {@value #RECURRENT_BIAS_KEY}) pre-activations, each [1, gates·H], initialised to
 * 1 and 0. They count as biases: no L2 or weight decay pulls the gains towards 0.
 */
final class LayerNormParams implements ParamInitializer {
    static final String INPUT_GAIN_KEY = "lnGainX";
    static final String INPUT_BIAS_KEY = "lnBiasX";
    static final String RECURRENT_GAIN_KEY = "lnGainH";
    static final String RECURRENT_BIAS_KEY = "lnBiasH";
    static final List<String> KEYS = List.of(INPUT_GAIN_KEY, INPUT_BIAS_KEY, RECURRENT_GAIN_KEY, RECURRENT_BIAS_KEY);

    private final ParamInitializer base;
    private final int gates;

    LayerNormParams(ParamInitializer base, int gates) {
        this.base = base;
        this.gates = gates;
    }

    private long width(Layer layer) {
        return gates * ((FeedForwardLayer) layer).getNOut();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return base.numParams(layer) + KEYS.size() * width(layer);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return withNorms(base.paramKeys(layer));
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return base.weightKeys(layer);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return withNorms(base.biasKeys(layer));
    }

    private static List<String> withNorms(List<String> keys) {
        List<String> out = new ArrayList<>(keys);
        out.addAll(KEYS);
        return out;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return base.isWeightParam(layer, key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return KEYS.contains(key) || base.isBiasParam(layer, key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        long baseCount = base.numParams(conf.getLayer());
        INDArray flat = paramsView.reshape(1, paramsView.length());
        Map<String, INDArray> params = new LinkedHashMap<>(base.init(conf, prefix(flat, baseCount), initializeParams));
        Map<String, INDArray> norms = norms(conf.getLayer(), flat, baseCount);
        if (initializeParams) {
            norms.get(INPUT_GAIN_KEY).assign(1);
            norms.get(INPUT_BIAS_KEY).assign(0);
            norms.get(RECURRENT_GAIN_KEY).assign(1);
            norms.get(RECURRENT_BIAS_KEY).assign(0);
        }
        for (String key : KEYS) {
            conf.addVariable(key);
        }
        params.putAll(norms);
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        long baseCount = base.numParams(conf.getLayer());
        INDArray flat = gradientView.reshape(1, gradientView.length());
        Map<String, INDArray> out = new LinkedHashMap<>(base.getGradientsFromFlattened(conf, prefix(flat, baseCount)));
        out.putAll(norms(conf.getLayer(), flat, baseCount));
        return out;
    }

    private static INDArray prefix(INDArray flat, long count) {
        return flat.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, count));
    }

    /** Views [1, W] of the four vectors after the base parameters. */
    private Map<String, INDArray> norms(Layer layer, INDArray flat, long from) {
        long width = width(layer);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            out.put(key, flat.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(from, from + width)));
            from += width;
        }
        return out;
    }
}
