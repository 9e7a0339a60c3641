package io.rnnkit.nn.layers;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link FusedGRU} layer with {@code nIn} inputs and {@code H = nOut} units, in the order
 * they sit in the network's flattened parameter vector:
 *
 * <table>
 * <caption>GRU parameters</caption>
 * <tr><th>key</th><th>shape</th><th>content (column blocks of width H, in this order)</th></tr>
 * <tr><td>{@value #INPUT_WEIGHT_KEY}</td><td>[nIn, 3H], 'f'</td><td>W_ir | W_iz | W_in (transposed)</td></tr>
 * <tr><td>{@value #RECURRENT_WEIGHT_KEY}</td><td>[H, 3H], 'f'</td><td>W_hr | W_hz | W_hn (transposed)</td></tr>
 * <tr><td>{@value #INPUT_BIAS_KEY}</td><td>[1, 3H]</td><td>b_ir | b_iz | b_in</td></tr>
 * <tr><td>{@value #RECURRENT_BIAS_KEY}</td><td>[1, 3H]</td><td>b_hr | b_hz | b_hn</td></tr>
 * </table>
 *
 * <p>The gate order (reset, update, new) is PyTorch's, so {@code W = weight_ih_l0ᵀ},
 * {@code RW = weight_hh_l0ᵀ}, {@code b = bias_ih_l0}, {@code rb = bias_hh_l0}.
 *
 * <p>Initialisation: {@code W} with the layer's weight init (fan-in nIn, fan-out 3H), {@code RW}
 * with {@code weightInitRecurrent} if set, else the same init (fan-in H, fan-out 3H); the input bias
 * with the layer's {@code biasInit}; the recurrent bias with zeros, so that {@code biasInit} is the
 * effective bias of every gate rather than twice it for the reset and update gates.
 */
public final class GRUParamInitializer implements ParamInitializer {

    public static final String INPUT_WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String INPUT_BIAS_KEY = "b";
    public static final String RECURRENT_BIAS_KEY = "rb";

    private static final GRUParamInitializer INSTANCE = new GRUParamInitializer();

    private static final List<String> WEIGHT_KEYS =
            Collections.unmodifiableList(Arrays.asList(INPUT_WEIGHT_KEY, RECURRENT_WEIGHT_KEY));
    private static final List<String> BIAS_KEYS =
            Collections.unmodifiableList(Arrays.asList(INPUT_BIAS_KEY, RECURRENT_BIAS_KEY));
    private static final List<String> PARAM_KEYS = Collections.unmodifiableList(
            Arrays.asList(INPUT_WEIGHT_KEY, RECURRENT_WEIGHT_KEY, INPUT_BIAS_KEY, RECURRENT_BIAS_KEY));

    private GRUParamInitializer() {
    }

    public static GRUParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        FusedGRU gru = (FusedGRU) layer;
        long nIn = gru.getNIn();
        long h = gru.getNOut();
        return 3 * h * (nIn + h + 2);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return PARAM_KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHT_KEYS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return BIAS_KEYS;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEYS.contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEYS.contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        FusedGRU gru = (FusedGRU) conf.getLayer();
        Map<String, INDArray> params = split(gru, paramsView);
        if (initializeParams) {
            long nIn = gru.getNIn();
            long h = gru.getNOut();
            IWeightInit inputInit = gru.getWeightInitFn();
            IWeightInit recurrentInit =
                    gru.getWeightInitFnRecurrent() != null ? gru.getWeightInitFnRecurrent() : inputInit;
            INDArray w = params.get(INPUT_WEIGHT_KEY);
            INDArray rw = params.get(RECURRENT_WEIGHT_KEY);
            // init() fills the view it is given (reshaped to the shape asked for) and returns that view
            inputInit.init(nIn, 3 * h, w.shape(), IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, w);
            recurrentInit.init(h, 3 * h, rw.shape(), IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, rw);
            params.get(INPUT_BIAS_KEY).assign(gru.getBiasInit());
            params.get(RECURRENT_BIAS_KEY).assign(0);
        }
        for (String key : PARAM_KEYS) {
            conf.addVariable(key);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((FusedGRU) conf.getLayer(), gradientView);
    }

    /** Views of the four parameter blocks of a flat [1, numParams] (or [numParams]) array. */
    private Map<String, INDArray> split(FusedGRU gru, INDArray flat) {
        long nIn = gru.getNIn();
        long h = gru.getNOut();
        long expected = numParams(gru);
        if (flat.length() != expected) {
            throw new IllegalStateException("GRU (layer \"" + gru.getLayerName() + "\"): expected a parameter view of "
                    + expected + " values for nIn=" + nIn + ", nOut=" + h + ", got " + flat.length());
        }
        INDArray v = flat.reshape(flat.length());
        long w = nIn * 3 * h;
        long rw = w + h * 3 * h;
        long b = rw + 3 * h;
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(INPUT_WEIGHT_KEY, v.get(NDArrayIndex.interval(0, w)).reshape('f', nIn, 3 * h));
        out.put(RECURRENT_WEIGHT_KEY, v.get(NDArrayIndex.interval(w, rw)).reshape('f', h, 3 * h));
        out.put(INPUT_BIAS_KEY, v.get(NDArrayIndex.interval(rw, b)).reshape(1, 3 * h));
        out.put(RECURRENT_BIAS_KEY, v.get(NDArrayIndex.interval(b, b + 3 * h)).reshape(1, 3 * h));
        return out;
    }
}
