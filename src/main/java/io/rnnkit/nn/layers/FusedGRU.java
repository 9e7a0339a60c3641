package io.rnnkit.nn.layers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonInclude;

/**
 * Gated recurrent unit layer configuration, in the form of PyTorch's {@code nn.GRU} and Keras'
 * {@code GRU(reset_after=True)} (the cuDNN form). For input x_t and previous output h_{t-1}:
 *
 * <pre>
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)           reset gate
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)           update gate
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn)) candidate ("new") state
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
 * </pre>
 *
 * with h_{-1} = 0 (or the stored state, for {@code rnnTimeStep} and truncated BPTT). σ is the
 * {@linkplain Builder#gateActivationFunction(Activation) gate activation} (default sigmoid) and tanh
 * the layer's {@linkplain Builder#activation(Activation) activation} (default tanh, unlike DL4J's
 * global default of sigmoid, which would not make a GRU). Input and recurrent biases are separate,
 * as in PyTorch, because b_hn sits inside the reset gate's product.
 *
 * <p>Parameters, gate order reset | update | new in column blocks of width H = nOut (PyTorch's
 * order): {@code W} [nIn, 3H] = [W_ir | W_iz | W_in]ᵀ, {@code RW} [H, 3H] = [W_hr | W_hz | W_hn]ᵀ,
 * {@code b} [1, 3H] = b_ir | b_iz | b_in, {@code rb} [1, 3H] = b_hr | b_hz | b_hn; so
 * {@code W = weight_ih_l0ᵀ}, {@code RW = weight_hh_l0ᵀ}, {@code b = bias_ih_l0},
 * {@code rb = bias_hh_l0}. Initialisation: see {@link GRUParamInitializer}. Input
 * {@code [minibatch, nIn, T]} (NCW, default) or {@code [minibatch, T, nIn]} (NWC); output
 * {@code [minibatch, nOut, T]} in the same format. Feature masks (a masked step outputs zeros and
 * leaves the state unchanged), truncated BPTT, {@code rnnTimeStep}, {@code Bidirectional} and
 * {@code LastTimeStep} work as for DL4J's {@code LSTM}; see {@link GRULayer}. The builder takes the same settings as DL4J's LSTM builder (less
 * {@code forgetGateBiasInit}, which a GRU has no gate for), so code that builds one cell type can
 * build the other.
 *
 * <p><b>Layer normalization</b> ({@link Builder#layerNorm}, Ba et al. 2016): the input-to-hidden and
 * hidden-to-hidden pre-activations of each step, a_x = W_i· x_t and a_h = W_h· h_{t-1} (all three gates, 3H
 * values each), are normalised separately, each with a learned gain and bias ({@link LayerNorm}):
 *
 * <pre>
 *   [r̃ | z̃ | ñ]_x = LN(a_x; γ_x, β_x),   [r̃ | z̃ | ñ]_h = LN(a_h; γ_h, β_h)
 *   r_t = σ(r̃_x + b_ir + r̃_h + b_hr),   z_t = σ(z̃_x + b_iz + z̃_h + b_hz)
 *   n_t = tanh(ñ_x + b_in + r_t ⊙ (ñ_h + b_hn)),   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
 * </pre>
 *
 * The gains and biases follow the plain GRU's parameters ({@link LayerNormParams}). Such a layer runs the scalar
 * path in FLOAT too: the SIMD lanes do not normalise.
 */
public class FusedGRU extends BaseRecurrentLayer {

    private IActivation gateActivationFn = new ActivationSigmoid();
    /** Layer normalization of the input and recurrent pre-activations; absent from the JSON when false (older networks). */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    private boolean layerNorm;

    /** For JSON/YAML deserialisation. */
    private FusedGRU() {
    }

    private FusedGRU(Builder builder) {
        super(builder);
        this.gateActivationFn = builder.gateActivationFn;
        this.layerNorm = builder.layerNorm;
        initializeConstraints(builder);
    }

    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        Builder b = (Builder) builder;
        // DL4J's own recurrent layers drop the input-weight constraints; a GRU honours both kinds
        List<LayerConstraint> extra = new ArrayList<>();
        addConstraints(extra, b.getRecurrentConstraints(), GRUParamInitializer.RECURRENT_WEIGHT_KEY);
        addConstraints(extra, b.getInputWeightConstraints(), GRUParamInitializer.INPUT_WEIGHT_KEY);
        if (!extra.isEmpty()) {
            if (constraints == null) {
                constraints = new ArrayList<>();
            }
            constraints.addAll(extra);
        }
    }

    private static void addConstraints(List<LayerConstraint> to, List<LayerConstraint> from, String param) {
        if (from == null) {
            return;
        }
        for (LayerConstraint c : from) {
            LayerConstraint copy = c.clone();
            copy.setParams(Collections.singleton(param));
            to.add(copy);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        FusedRecurrentLayer.checkSupported("GRU", getLayerName(), networkDataType);
        return FusedRecurrentLayer.setUp(new GRULayer(conf, networkDataType), "GRU", conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return layerNorm ? new LayerNormParams(GRUParamInitializer.getInstance(), 3) : GRUParamInitializer.getInstance();
    }

    public boolean isLayerNorm() {
        return layerNorm;
    }

    public void setLayerNorm(boolean layerNorm) {
        this.layerNorm = layerNorm;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType.InputTypeRecurrent itr = (InputType.InputTypeRecurrent) inputType;
        long t = itr.getTimeSeriesLength();
        long h = getNOut();
        long numParams = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        // per example: input copy and the 3H input projection for all steps, plus per-step buffers
        long inference = t * (getNIn() + 3 * h) + 7 * h;
        // training keeps r, z, n, W_hn h + b_hn and the T+1 states; backprop adds the recurrent
        // gradient blocks (3H) and the input gradient rows for all steps, plus two per-step buffers
        long training = inference + t * 5 * h + h + t * (3 * h + getNIn()) + 4 * h;
        Map<CacheMode, Long> trainVariable = new HashMap<>();
        for (CacheMode cm : CacheMode.values()) {
            trainVariable.put(cm, training);
        }
        return new LayerMemoryReport.Builder(getLayerName(), FusedGRU.class, inputType, getOutputType(-1, inputType))
                .standardMemory(numParams, updaterState)
                .workingMemory(0, inference, MemoryReport.CACHE_MODE_ALL_ZEROS, trainVariable)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    public IActivation getGateActivationFn() {
        return gateActivationFn;
    }

    public void setGateActivationFn(IActivation gateActivationFn) {
        this.gateActivationFn = gateActivationFn;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof FusedGRU) || !super.equals(o)) {
            return false;
        }
        return Objects.equals(gateActivationFn, ((FusedGRU) o).gateActivationFn) && layerNorm == ((FusedGRU) o).layerNorm;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedGRU;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(gateActivationFn) + (layerNorm ? 1 : 0);
    }

    @Override
    public String toString() {
        return "GRU(" + super.toString() + ", gateActivationFn=" + gateActivationFn + (layerNorm ? ", layerNorm" : "") + ")";
    }

    /**
     * Builder with the settings of DL4J's LSTM builder: {@code nIn}, {@code nOut}, {@code activation}
     * (default tanh), {@code gateActivationFunction} (default sigmoid), {@code weightInit},
     * {@code weightInitRecurrent}, {@code biasInit}, {@code dropOut}, {@code l1}/{@code l2} (and their
     * bias variants), {@code updater}, constraints, {@code dataFormat}.
     */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        private IActivation gateActivationFn = new ActivationSigmoid();
        private boolean layerNorm;

        public Builder() {
            // A GRU's candidate state is a tanh; set here so DL4J's global default (sigmoid) does not apply
            this.activationFn = new ActivationTanH();
        }

        /** Activation of the reset and update gates; must map into [0, 1] (sigmoid, hard sigmoid). */
        public Builder gateActivationFunction(String gateActivationFn) {
            return gateActivationFunction(Activation.fromString(gateActivationFn));
        }

        /** Activation of the reset and update gates; must map into [0, 1] (sigmoid, hard sigmoid). */
        public Builder gateActivationFunction(Activation gateActivationFn) {
            return gateActivationFunction(gateActivationFn.getActivationFunction());
        }

        /** Activation of the reset and update gates; must map into [0, 1] (sigmoid, hard sigmoid). */
        public Builder gateActivationFunction(IActivation gateActivationFn) {
            this.gateActivationFn = Objects.requireNonNull(gateActivationFn, "gateActivationFn");
            return this;
        }

        /** Layer normalization of the input and recurrent pre-activations (see {@link FusedGRU}). */
        public Builder layerNorm(boolean layerNorm) {
            this.layerNorm = layerNorm;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FusedGRU build() {
            return new FusedGRU(this);
        }
    }
}
