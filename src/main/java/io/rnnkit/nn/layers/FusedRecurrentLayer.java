package io.rnnkit.nn.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What rnnkit's recurrent layers ({@link GRULayer}, {@link SimpleRnnLayer}) share: the state
 * handling of {@code rnnTimeStep} and truncated BPTT, keeping the mask, handing the trace of a
 * training forward pass to the following backprop, and the copies between the {@code [mb, n, T]}
 * sequences and the {@code [T*mb, n]} row arrays (row {@code t*mb + i} is example i at step t) on
 * which the whole-sequence matrix products run.
 *
 * <p>Masks ({@code [minibatch, T]}, 1 = real step): a masked step outputs zeros, leaves the state as
 * it was, contributes no parameter or input gradient and passes the state's gradient back unchanged.
 * State: {@code rnnTimeStep} starts from the state left by the previous call and stores the last
 * one; {@code rnnActivateUsingStoredState} starts each truncated-BPTT segment from the state the
 * previous one ended in; backprop never crosses the segment start and {@code tbpttBackpropGradient}
 * limits it to the last {@code tbpttBackLength} steps.
 *
 * @param <C> the layer's configuration class
 */
abstract class FusedRecurrentLayer<C extends org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer>
        extends BaseRecurrentLayer<C> {

    /** Key of the stored state in the rnnTimeStep and TBPTT state maps. */
    public static final String STATE_KEY_PREV_ACTIVATION = "prevAct";

    /** Activations of the last training forward pass, consumed by the next backprop. */
    private Trace trace;

    /** Small working arrays of forward passes, reused from call to call (created on first use). */
    private transient InferenceBuffers buffers;

    /** Whether the pass under way writes its output into a kept array: only {@link #inferenceOutput}'s. */
    private transient boolean keepOutput;

    /** The workspace manager of {@link #inferenceOutput} (none: its arrays are kept or plain). */
    private transient LayerWorkspaceMgr noWorkspaces;

    FusedRecurrentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Forward pass over the current input from {@code state0} (null: zeros). With a non-null
     * {@code traceType} the arrays backprop needs are allocated as that type and kept.
     */
    abstract Forward forward(boolean training, INDArray state0, ArrayType traceType, LayerWorkspaceMgr mgr);

    /**
     * Backprop over the last {@code backLength} steps (all when ≤ 0) using {@code tr}, the trace of
     * the forward pass over the current input.
     */
    abstract Pair<Gradient, INDArray> backprop(INDArray epsilon, int backLength, Trace tr, LayerWorkspaceMgr mgr);

    /** The working arrays this layer's forward passes reuse. */
    InferenceBuffers buffers() {
        if (buffers == null) {
            buffers = new InferenceBuffers();
        }
        return buffers;
    }

    /**
     * The output [mb, nOut, T] ('f') of an inference pass over {@code input} with the feature mask {@code mask}
     * (or null), as {@code activate(false, …)} computes it, but written into an array the layer keeps for the next
     * such pass (when small, {@link InferenceBuffers#MAX_ELEMENTS}): the caller reads it before calling again.
     * The input and mask are not kept.
     */
    INDArray inferenceOutput(INDArray input, INDArray mask) {
        if (noWorkspaces == null) {
            noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        }
        setInput(input, noWorkspaces);
        this.maskArray = mask;
        keepOutput = true;
        try {
            return forward(false, null, null, noWorkspaces).output;
        } finally {
            keepOutput = false;
            clear();
        }
    }

    /** The parameter keys of the layer, in the order the gradient lists them. */
    Iterable<String> paramKeys() {
        return layerConf().initializer().paramKeys(layerConf());
    }

    /** Whether the cell normalises its pre-activations ({@link LayerNorm}); such a cell never runs the SIMD lanes. */
    abstract boolean layerNormalised();

    /**
     * A layer-normalised cell's two norms, on the input-to-hidden and the hidden-to-hidden pre-activations, from
     * its parameters; null for a plain cell.
     */
    LayerNorm[] layerNorms(boolean training, LayerWorkspaceMgr mgr) {
        if (!layerNormalised()) {
            return null;
        }
        return new LayerNorm[] {
                new LayerNorm(getParamWithNoise(LayerNormParams.INPUT_GAIN_KEY, training, mgr),
                        getParamWithNoise(LayerNormParams.INPUT_BIAS_KEY, training, mgr)),
                new LayerNorm(getParamWithNoise(LayerNormParams.RECURRENT_GAIN_KEY, training, mgr),
                        getParamWithNoise(LayerNormParams.RECURRENT_BIAS_KEY, training, mgr))};
    }

    /**
     * Normalises the input projection of all steps ({@code tr.g}, rows of {@code width}) in place and, when
     * tracing, allocates what backprop keeps of both norms.
     */
    void normaliseInputs(LayerNorm[] norms, Trace tr, int width, boolean tracing, ArrayType keep, LayerWorkspaceMgr mgr) {
        int rows = tr.steps * tr.mb;
        if (tracing) {
            tr.normX = new LayerNorm.Saved(rows, width, keep, dataType, mgr);
            tr.normH = new LayerNorm.Saved(rows, width, keep, dataType, mgr);
        }
        norms[0].forward(RawBuffer.of(tr.g), 0, width, 1, rows, tr.normX, 0);
    }

    /**
     * After backprop's time loop: the input norm's backprop on the rows of {@code dG} from step {@code end} on (in
     * place) and the gradients of both norms' gains and biases ({@code recurrent}: gain and bias of the recurrent
     * norm, summed by the loop) written to the gradient views.
     */
    void finishNormGradients(LayerNorm[] norms, Trace tr, INDArray dG, int width, int end, double[][] recurrent) {
        double[] gainX = new double[width];
        double[] biasX = new double[width];
        norms[0].backward(RawBuffer.of(dG), (long) end * tr.mb * width, width, 1, (tr.steps - end) * tr.mb, tr.normX,
                end * tr.mb, gainX, biasX);
        writeVector(gainX, gradientViews.get(LayerNormParams.INPUT_GAIN_KEY));
        writeVector(biasX, gradientViews.get(LayerNormParams.INPUT_BIAS_KEY));
        writeVector(recurrent[0], gradientViews.get(LayerNormParams.RECURRENT_GAIN_KEY));
        writeVector(recurrent[1], gradientViews.get(LayerNormParams.RECURRENT_BIAS_KEY));
    }

    /** Copies a step's [mb, width] block between the 'f' per-step buffer {@code step} and rows t·mb… of 'c' {@code rows}. */
    static void copyStep(RawBuffer from, boolean fromRows, RawBuffer to, int t, int mb, int width) {
        for (int i = 0; i < mb; i++) {
            long row = (long) (t * mb + i) * width;
            for (int j = 0; j < width; j++) {
                long f = i + (long) mb * j;
                if (fromRows) {
                    to.set(f, from.get(row + j));
                } else {
                    to.set(row + j, from.get(f));
                }
            }
        }
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clear() {
        super.clear();
        trace = null;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        // Keep the mask (DL4J's LSTM drops it here) and pass it on unchanged to the layers above
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        Forward f = forward(training, null, training ? ArrayType.ACTIVATIONS : null, workspaceMgr);
        trace = f.trace;
        return f.output;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Forward f = forward(false, stateMap.get(STATE_KEY_PREV_ACTIVATION), null, workspaceMgr);
        trace = null;
        stateMap.put(STATE_KEY_PREV_ACTIVATION, detach(f.lastState));
        return f.output;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Forward f = forward(training, tBpttStateMap.get(STATE_KEY_PREV_ACTIVATION),
                training ? ArrayType.ACTIVATIONS : null, workspaceMgr);
        trace = f.trace;
        if (storeLastForTBPTT) {
            tBpttStateMap.put(STATE_KEY_PREV_ACTIVATION, detach(f.lastState));
        }
        return f.output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, -1, traceFor(null, workspaceMgr), workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        // Without a trace, recompute from the state this segment started in, as DL4J's LSTM does
        return backprop(epsilon, tbpttBackLength, traceFor(stateMap.get(STATE_KEY_PREV_ACTIVATION), workspaceMgr),
                workspaceMgr);
    }

    /**
     * The trace of the last training forward pass if it belongs to the current input and mask, else
     * a new forward pass from {@code state0}. DL4J's MultiLayerNetwork (M2.1) calls the plain
     * {@code backpropGradient} even under truncated BPTT; thanks to the trace that gradient is still
     * taken at the stored initial state actually used in the forward pass.
     */
    private Trace traceFor(INDArray state0, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Trace tr = trace;
        trace = null;
        if (tr == null || !tr.matches(input, maskArray)) {
            tr = forward(true, state0, ArrayType.BP_WORKING_MEM, mgr).trace;
        }
        return tr;
    }

    /** The gradient views of all parameters, as the gradient backprop returns. */
    Gradient parameterGradient() {
        weightNoiseParams.clear();
        Gradient grad = new DefaultGradient(gradientsFlattened);
        for (String key : paramKeys()) {
            grad.gradientForVariable().put(key, gradientViews.get(key));
        }
        return grad;
    }

    /**
     * The input as 'c' rows [T*mb, nIn] after dropout, with its shape checked against the layer and
     * the stored state ({@code stateWidth} columns).
     */
    INDArray inputRows(boolean training, INDArray state0, long stateWidth, ArrayType type, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray x = permuteIfNWC(input.castTo(dataType));
        String name = getClass().getSimpleName();
        Preconditions.checkState(x.rank() == 3, "%s (layer %s): expected input of rank 3 [minibatch, nIn, T],"
                + " got shape %s", name, layerId(), Arrays.toString(input.shape()));
        int mb = (int) x.size(0);
        int nIn = (int) x.size(1);
        int steps = (int) x.size(2);
        C c = layerConf();
        Preconditions.checkState(nIn == c.getNIn(), "%s (layer %s): input has %s features, layer nIn is %s",
                name, layerId(), nIn, c.getNIn());
        Preconditions.checkState(state0 == null || (state0.size(0) == mb && state0.size(1) == stateWidth),
                "%s (layer %s): stored state has shape %s but the input has minibatch %s: rnnTimeStep with"
                        + " another minibatch size, or rnnClearPreviousState() not called between batches?",
                name, layerId(), state0 == null ? "" : Arrays.toString(state0.shape()), mb);
        Preconditions.checkState((long) steps * mb * 4 * c.getNOut() < Integer.MAX_VALUE,
                "%s (layer %s): minibatch × T × 4·nOut must stay below 2^31", name, layerId());
        INDArray rows = buffers().get(InferenceBuffers.Slot.INPUT_ROWS, mgr, type, dataType,
                new long[] {(long) steps * mb, nIn}, 'c');
        if (dataType == DataType.FLOAT && x.stride(0) == 1 && mb > 1) {
            // rows adjacent (DL4J's 'f' layout, the output of the layer below): bulk copies through one step's scratch
            java.nio.FloatBuffer src = FloatLanes.view(x);
            java.nio.FloatBuffer dst = FloatLanes.view(rows);
            LanesSteps.Part all = new LanesSteps.Part(0, mb, mb);
            long[] stride = x.stride();
            float[] step = new float[mb * nIn];
            float[] scratch = new float[mb * nIn];
            for (int t = 0; t < steps; t++) {
                FloatLanes.readStep(src, stride, step, scratch, all, nIn, t);
                dst.put(t * mb * nIn, step);
            }
            return rows;
        }
        Strided3 src = Strided3.of(x);
        RawBuffer dst = RawBuffer.of(rows);
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < mb; i++) {
                int r = (t * mb + i) * nIn;
                for (int k = 0; k < nIn; k++) {
                    dst.set(r + k, src.get(i, k, t));
                }
            }
        }
        return rows;
    }

    /**
     * The start of every forward pass: the input as rows [T*mb, nIn] ({@link #inputRows}) and its
     * projection X·W for all steps in one product, [T*mb, width] 'c', both of the array type the trace
     * keeps ({@code keep}: the trace's type when tracing, forward working memory otherwise).
     */
    record Projection(INDArray rows, INDArray projected, int mb, int steps, ArrayType keep) {
    }

    Projection project(boolean training, INDArray state0, long stateWidth, ArrayType traceType, String weightKey,
            int width, LayerWorkspaceMgr mgr) {
        ArrayType keep = traceType != null ? traceType : ArrayType.FF_WORKING_MEM;
        INDArray xRows = inputRows(training, state0, stateWidth, keep, mgr);
        int mb = (int) input.size(0);
        int steps = mb == 0 ? 0 : (int) (xRows.size(0) / mb);
        INDArray w = getParamWithNoise(weightKey, training, mgr);
        INDArray g = buffers().get(InferenceBuffers.Slot.PROJECTION, mgr, keep, dataType,
                new long[] {(long) steps * mb, width}, 'c');
        CpuBlas.gemmSplit(xRows, false, w, false, g, 0.0);
        return new Projection(xRows, g, mb, steps, keep);
    }

    /**
     * A new layer output [mb, h, T], laid out as DL4J's {@code RnnOutputLayer} and {@code TimeSeriesUtils} take it
     * without a copy: a view of an 'f' [mb, T, h] array (element (i, k, t) at i + mb·t + mb·T·k), whose
     * {@code reshape3dTo2d} is a view too. On an 'f' [mb, h, T] array that reshape copies, 11 ms a call for the
     * m2m benchmark's [32, 256, 100] on one thread, and the output layer makes it twice a fit. One sequence
     * keeps 'f' [1, h, T] (a step's units side by side, written in one copy), which DL4J reshapes as a view.
     */
    INDArray outputArray(LayerWorkspaceMgr mgr, int mb, int h, int steps) {
        // an inference call through FusedInference keeps the array between calls (keepOutput)
        if (mb == 1) {
            return buffers().get(InferenceBuffers.Slot.OUTPUT, mgr, ArrayType.ACTIVATIONS, keepOutput, dataType,
                    new long[] {mb, h, steps}, 'f');
        }
        return buffers().get(InferenceBuffers.Slot.OUTPUT, mgr, ArrayType.ACTIVATIONS, keepOutput, dataType,
                new long[] {mb, steps, h}, 'f').permute(0, 2, 1);
    }

    /** The epsilon from above, as [mb, nOut, T] of the layer's data type, its shape checked. */
    INDArray epsilon(INDArray epsilon, int mb, int steps) {
        INDArray eps = permuteIfNWC(epsilon.castTo(dataType));
        long h = layerConf().getNOut();
        Preconditions.checkState(eps.rank() == 3 && eps.size(0) == mb && eps.size(1) == h && eps.size(2) == steps,
                "%s (layer %s): epsilon shape %s does not match the output [%s, %s, %s]",
                getClass().getSimpleName(), layerId(), Arrays.toString(epsilon.shape()), mb, h, steps);
        return eps;
    }

    /**
     * The gradient of the input, from dL/d(input projection) rows {@code dG} [T*mb, width] of the
     * steps from {@code end} on and the input weights {@code w} [nIn, width]; steps before a
     * truncation point get zeros.
     */
    INDArray inputGradient(INDArray dG, INDArray w, int mb, int steps, int end, LayerWorkspaceMgr mgr) {
        int nIn = (int) layerConf().getNIn();
        long r0 = (long) end * mb;
        long r1 = (long) steps * mb;
        INDArray dxRows = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {r1 - r0, nIn}, 'c');
        CpuBlas.gemmSplit(rows(dG, r0, r1), false, w, true, dxRows, 0.0);
        long[] epsShape = {mb, nIn, steps};
        INDArray epsOut = end == 0 ? mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, epsShape, 'f')
                : mgr.create(ArrayType.ACTIVATION_GRAD, dataType, epsShape, 'f');
        RawBuffer src = RawBuffer.of(dxRows);
        Strided3 dst = Strided3.of(epsOut);
        for (int t = end; t < steps; t++) {
            for (int i = 0; i < mb; i++) {
                int r = ((t - end) * mb + i) * nIn;
                for (int k = 0; k < nIn; k++) {
                    dst.set(i, k, t, src.get(r + k));
                }
            }
        }
        return permuteIfNWC(backpropDropOutIfPresent(epsOut));
    }

    /**
     * Writes opT(rows {@code r0..r1} of {@code left})·(rows {@code r0..r1} of {@code right}) into the
     * gradient of {@code key}: a weight gradient summed over all steps backprop reached, in one product.
     */
    void weightGradient(INDArray left, INDArray right, long r0, long r1, String key) {
        CpuBlas.gemmSplit(rows(left, r0, r1), true, rows(right, r0, r1), false, gradientViews.get(key), 0.0);
    }

    /**
     * The weight gradients (input weights from the input rows {@code x} and {@code dG}, recurrent
     * weights from the states entering each step and {@code dRec}) and the input gradient, over the
     * steps from {@code end} on, with the parameter gradient that backprop returns; biases are the
     * caller's.
     */
    Pair<Gradient, INDArray> weightAndInputGradients(INDArray x, INDArray dG, INDArray states, INDArray dRec,
            INDArray w, int mb, int steps, int end, String wKey, String rwKey, LayerWorkspaceMgr mgr) {
        long r0 = (long) end * mb;
        long r1 = (long) steps * mb;
        weightGradient(x, dG, r0, r1, wKey);
        weightGradient(states, dRec, r0, r1, rwKey);
        return new Pair<>(parameterGradient(), inputGradient(dG, w, mb, steps, end, mgr));
    }

    /**
     * The common part of a layer configuration's {@code instantiate}: checks, listeners, index and
     * the parameters (views of {@code paramsView}, initialised when asked) set on {@code layer}.
     */
    static <L extends FusedRecurrentLayer<?>> L setUp(L layer, String kind, NeuralNetConfiguration conf,
            java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener> listeners, int index,
            INDArray paramsView, boolean initializeParams) {
        org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer c =
                (org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) conf.getLayer();
        org.deeplearning4j.nn.conf.layers.LayerValidation.assertNInNOutSet(kind, c.getLayerName(), index, c.getNIn(),
                c.getNOut());
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(c.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** rnnkit's layers run in FLOAT and DOUBLE networks only. */
    static void checkSupported(String kind, String layerName, DataType networkDataType) {
        if (networkDataType != DataType.FLOAT && networkDataType != DataType.DOUBLE) {
            throw new IllegalArgumentException(kind + " (layer \"" + layerName + "\"): network data type must be"
                    + " FLOAT or DOUBLE, got " + networkDataType);
        }
    }

    static INDArray detach(INDArray state) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return state.dup('c');
        }
    }

    static void activateInPlace(IActivation fn, INDArray x, boolean training) {
        INDArray a = fn.getActivation(x, training);
        if (a != x) {
            x.assign(a);
        }
    }

    /** f'(pre) elementwise (may overwrite {@code pre}), in the 'c' layout of {@code pre}. */
    static INDArray derivative(IActivation fn, INDArray pre) {
        INDArray d = fn.backprop(pre, Nd4j.onesLike(pre)).getFirst();
        return d.ordering() == 'c' && Shape.hasDefaultStridesForShape(d) ? d : d.dup('c');
    }

    static INDArray rows(INDArray a, long from, long to) {
        if (from == 0 && to == a.size(0)) {
            return a;
        }
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    static void writeVector(double[] values, INDArray target) {
        RawBuffer t = RawBuffer.of(target);
        for (int j = 0; j < values.length; j++) {
            t.set(j, values[j]);
        }
    }

    static double[] toDoubles(INDArray vector) {
        return vector.castTo(DataType.DOUBLE).toDoubleVector();
    }

    static final class Forward {
        INDArray output;
        INDArray lastState;
        Trace trace;
    }

    /** The result of a forward pass: the output [mb, nOut, T] ('f', permuted for NWC), the state after it, the trace or null. */
    Forward finish(INDArray out, INDArray lastState, Trace trace) {
        Forward f = new Forward();
        f.output = permuteIfNWC(out);
        f.lastState = lastState;
        f.trace = trace;
        return f;
    }

    /**
     * What backprop needs from a forward pass; subclasses add their arrays. Row t*mb + i of each
     * array is example i at step t.
     */
    abstract static class Trace {
        final INDArray input;
        final INDArray maskArray;
        final int mb;
        final int steps;
        /** The input rows [T*mb, nIn] and their projection X·W [T*mb, width] (its gradient, after backprop). */
        final INDArray x;
        final INDArray g;
        /** What backprop keeps of a layer-normalised cell's input and recurrent norms; null otherwise. */
        LayerNorm.Saved normX;
        LayerNorm.Saved normH;

        Trace(INDArray input, INDArray maskArray, Projection projection) {
            this.input = input;
            this.maskArray = maskArray;
            this.mb = projection.mb();
            this.steps = projection.steps();
            this.x = projection.rows();
            this.g = projection.projected();
        }

        /** The arrays kept, to check none has been released with its workspace. */
        abstract INDArray[] arrays();

        /**
         * Whether this trace belongs to the layer's current input and mask and its workspace memory
         * has not been released since (identity, not equality: the arrays are the ones set on the layer).
         */
        boolean matches(INDArray currentInput, INDArray currentMask) {
            if (currentInput != input || currentMask != maskArray) {
                return false;
            }
            for (INDArray a : arrays()) {
                if (a == null || a.wasClosed()) {
                    return false;
                }
            }
            return true;
        }

        /** The mask as values [t*mb + i], or null without a mask. */
        double[] mask() {
            if (maskArray == null) {
                return null;
            }
            Preconditions.checkState(maskArray.rank() == 2 && maskArray.size(0) == mb && maskArray.size(1) == steps,
                    "feature mask must have shape [minibatch, T] = [%s, %s], got %s", mb, steps,
                    Arrays.toString(maskArray.shape()));
            INDArray m = maskArray.castTo(DataType.DOUBLE);
            RawBuffer mv = RawBuffer.of(m);
            long[] s = m.stride();
            double[] out = new double[mb * steps];
            for (int i = 0; i < mb; i++) {
                for (int t = 0; t < steps; t++) {
                    out[t * mb + i] = mv.get((int) (i * s[0] + t * s[1]));
                }
            }
            return out;
        }
    }
}
