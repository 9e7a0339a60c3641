package io.rnnkit.nn.layers;

import java.util.ArrayList;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonInclude;

/**
 * rnnkit's implementation of DL4J's {@link org.deeplearning4j.nn.conf.layers.LSTM} (no peepholes).
 * For input x_t, previous output h_{t-1} and cell state c_{t-1}:
 *
 * <pre>
 *   i_t = σ(x_t·W_i + h_{t-1}·RW_i + b_i)       input gate
 *   f_t = σ(x_t·W_f + h_{t-1}·RW_f + b_f)       forget gate
 *   o_t = σ(x_t·W_o + h_{t-1}·RW_o + b_o)       output gate
 *   g_t = φ(x_t·W_g + h_{t-1}·RW_g + b_g)       block input (candidate)
 *   c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ φ(c_t)
 * </pre>
 *
 * with σ the gate activation (default sigmoid), φ the layer's activation (tanh in rnnkit's configs)
 * and h_{-1} = c_{-1} = 0 (or the stored state, for {@code rnnTimeStep} and truncated BPTT).
 *
 * <p><b>Parameters</b> are DL4J's, from its {@code LSTMParamInitializer} (same keys, order and
 * initialisation, forget gate bias {@code forgetGateBiasInit}), so weights copy between the two
 * layers as they are: {@code W} [nIn, 4H], {@code RW} [H, 4H], {@code b} [1, 4H], each in column
 * blocks of width H in DL4J's order <b>g | f | o | i</b> (DL4J's names: block input, forget,
 * output, "input modulation"): columns [0, H) hold W_g, [H, 2H) W_f, [2H, 3H) W_o, [3H, 4H) W_i.
 * From PyTorch's {@code nn.LSTM} (rows i | f | g | o of {@code weight_ih_l0}): W = the row blocks
 * reordered g, f, o, i and transposed; likewise RW from {@code weight_hh_l0}, b = reordered
 * {@code bias_ih_l0 + bias_hh_l0}.
 *
 * <p>The stored state ({@link FusedRecurrentLayer#STATE_KEY_PREV_ACTIVATION}) is one array
 * [mb, 2H]: h in columns [0, H), c in [H, 2H). Masks differ from DL4J's LSTM: a masked step leaves
 * h and c as they were (DL4J's zeroes both when it sees the mask); see {@link LSTMLayer}.
 *
 * <p><b>Layer normalization</b> ({@link Builder#layerNorm}, Ba et al. 2016): the input-to-hidden and
 * hidden-to-hidden pre-activations of each step are normalised separately over their 4H values, each with a learned
 * gain and bias ({@link LayerNorm}), before the gates:
 *
 * <pre>
 *   [g | f | o | i]_t = LN(x_t·W; γ_x, β_x) + LN(h_{t-1}·RW; γ_h, β_h) + b
 * </pre>
 *
 * the rest as above (the cell state itself is not normalised). The gains and biases follow DL4J's parameters
 * ({@link LayerNormParams}). Such a layer runs the scalar path in FLOAT too: the SIMD lanes do not normalise.
 */
public class FusedLSTM extends org.deeplearning4j.nn.conf.layers.LSTM {

    /** Layer normalization of the input and recurrent pre-activations; absent from the JSON when false (older networks). */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    private boolean layerNorm;

    /** For JSON/YAML deserialisation; otherwise build with {@link Builder}. */
    public FusedLSTM() {
    }

    /** rnnkit's implementation of an LSTM configured as {@code dl4j}: every setting copied. */
    public static FusedLSTM of(org.deeplearning4j.nn.conf.layers.LSTM dl4j) {
        FusedLSTM l = new FusedLSTM();
        l.layerName = dl4j.getLayerName();
        l.iDropout = dl4j.getIDropout();
        l.constraints = dl4j.getConstraints() == null ? null : new ArrayList<>(dl4j.getConstraints());
        l.activationFn = dl4j.getActivationFn();
        l.weightInitFn = dl4j.getWeightInitFn();
        l.biasInit = dl4j.getBiasInit();
        l.gainInit = dl4j.getGainInit();
        l.regularization = dl4j.getRegularization();
        l.regularizationBias = dl4j.getRegularizationBias();
        l.iUpdater = dl4j.getIUpdater();
        l.biasUpdater = dl4j.getBiasUpdater();
        l.weightNoise = dl4j.getWeightNoise();
        l.gradientNormalization = dl4j.getGradientNormalization();
        l.gradientNormalizationThreshold = dl4j.getGradientNormalizationThreshold();
        l.nIn = dl4j.getNIn();
        l.nOut = dl4j.getNOut();
        l.timeDistributedFormat = dl4j.getTimeDistributedFormat();
        l.weightInitFnRecurrent = dl4j.getWeightInitFnRecurrent();
        l.rnnDataFormat = dl4j.getRnnDataFormat();
        l.helperAllowFallback = dl4j.isHelperAllowFallback();
        l.setForgetGateBiasInit(dl4j.getForgetGateBiasInit());
        l.setGateActivationFn(dl4j.getGateActivationFn());
        return l;
    }

    public boolean isLayerNorm() {
        return layerNorm;
    }

    public void setLayerNorm(boolean layerNorm) {
        this.layerNorm = layerNorm;
    }

    @Override
    public ParamInitializer initializer() {
        return layerNorm ? new LayerNormParams(LSTMParamInitializer.getInstance(), 4) : super.initializer();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        FusedRecurrentLayer.checkSupported("LSTM", getLayerName(), networkDataType);
        return FusedRecurrentLayer.setUp(new LSTMLayer(conf, networkDataType), "LSTM", conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedLSTM l && super.equals(o) && l.layerNorm == layerNorm;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedLSTM;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + (layerNorm ? 3 : 2);
    }

    @Override
    public String toString() {
        return "rnnkit." + super.toString() + (layerNorm ? "+layerNorm" : "");
    }

    /** DL4J's LSTM builder (same settings and defaults), building rnnkit's implementation. */
    public static class Builder extends AbstractLSTM.Builder<Builder> {
        private final org.deeplearning4j.nn.conf.layers.LSTM.Builder settings =
                new org.deeplearning4j.nn.conf.layers.LSTM.Builder();
        private boolean layerNorm;

        /** Layer normalization of the input and recurrent pre-activations (see {@link FusedLSTM}). */
        public Builder layerNorm(boolean layerNorm) {
            this.layerNorm = layerNorm;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FusedLSTM build() {
            FusedLSTM l = of(copyTo(settings).build());
            l.layerNorm = layerNorm;
            return l;
        }

        /** This builder's settings onto DL4J's builder, whose build() turns them into a configuration. */
        private org.deeplearning4j.nn.conf.layers.LSTM.Builder copyTo(
                org.deeplearning4j.nn.conf.layers.LSTM.Builder b) {
            b.setLayerName(getLayerName());
            b.setIDropout(getIDropout());
            b.setAllParamConstraints(getAllParamConstraints());
            b.setWeightConstraints(getWeightConstraints());
            b.setBiasConstraints(getBiasConstraints());
            b.setActivationFn(getActivationFn());
            b.setWeightInitFn(getWeightInitFn());
            b.setBiasInit(getBiasInit());
            b.setGainInit(getGainInit());
            b.setRegularization(getRegularization());
            b.setRegularizationBias(getRegularizationBias());
            b.setIupdater(getIupdater());
            b.setBiasUpdater(getBiasUpdater());
            b.setWeightNoise(getWeightNoise());
            b.setGradientNormalization(getGradientNormalization());
            b.setGradientNormalizationThreshold(getGradientNormalizationThreshold());
            b.setNIn(getNIn());
            b.setNOut(getNOut());
            b.setWeightInitFnRecurrent(getWeightInitFnRecurrent());
            b.setRnnDataFormat(getRnnDataFormat());
            b.setRecurrentConstraints(getRecurrentConstraints());
            b.setInputWeightConstraints(getInputWeightConstraints());
            b.setForgetGateBiasInit(getForgetGateBiasInit());
            b.setGateActivationFn(getGateActivationFn());
            b.setHelperAllowFallback(isHelperAllowFallback());
            return b;
        }
    }
}
