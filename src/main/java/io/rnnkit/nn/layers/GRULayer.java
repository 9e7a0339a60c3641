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
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Gated recurrent unit layer (the implementation of {@link GRU}):
 *
 * <pre>
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
 * </pre>
 *
 * Parameters (gate order reset, update, new): {@code W} [nIn, 3H], {@code RW} [H, 3H], {@code b}
 * [1, 3H], {@code rb} [1, 3H]; see {@link GRUParamInitializer}.
 *
 * <p><b>Computation.</b> The input projection X·W of all T steps is one matrix product (input rows
 * {@code t*mb + i} in a [T*mb, nIn] copy of the input). Each step then does one recurrent product
 * h_{t-1}·RW for all three gates (straight through CBLAS, {@link CpuBlas}), the gate activations on
 * contiguous per-step buffers, and the elementwise arithmetic as fused Java loops
 * ({@link GRUKernels}); no array is allocated inside the time loop. A training forward pass keeps r, z, n, W_hn h + b_hn and the states ("trace") in the
 * activations workspace, and the following backprop uses them instead of running the forward pass
 * again (DL4J's LSTM and SimpleRnn repeat it). Backprop does one product dL/d(rec)·RWᵀ per step and
 * three products over all steps: the gradients of W and RW and the input gradient.
 *
 * <p><b>Masks</b> ({@code [minibatch, T]}, 1 = real step): a masked step outputs zeros, leaves the
 * state as it was, contributes no parameter or input gradient and passes the state's gradient back
 * unchanged. So with padding at either end (or gaps) the real steps see exactly what the unpadded
 * sequence gives, and the state after the last real step is what rnnTimeStep/TBPTT carry on.
 * DL4J's LSTM differs: inside a MultiLayerNetwork its feedForwardMaskArray drops the feature mask,
 * so it runs through padded steps (only LastTimeStep and the label mask hide them); wrapped in
 * Bidirectional it gets the mask and zeroes its output and its state at masked steps.
 *
 * <p><b>State.</b> {@code rnnTimeStep} starts from the state left by the previous call (zeros after
 * {@code rnnClearPreviousState}) and stores h_{T-1}; feeding a sequence one step at a time gives the
 * same outputs as feeding it whole. Truncated BPTT: {@code rnnActivateUsingStoredState} starts each
 * segment from the state the previous segment ended in; backprop never crosses the segment start, and
 * {@code tbpttBackpropGradient} further limits it to the last {@code tbpttBackLength} steps.
 * DL4J's MultiLayerNetwork (M2.1) calls the plain {@code backpropGradient} even under truncated
 * BPTT; thanks to the trace that gradient is still taken at the stored initial state actually used
 * in the forward pass (the LSTM recomputes its forward pass from a zero state there).
 *
 * <p>Dropout applies to the layer input, as in DL4J's layers; weight noise (DropConnect) to all
 * parameters. FLOAT and DOUBLE networks only. Activation functions must be elementwise.
 */
public class GRULayer extends BaseRecurrentLayer<GRU> {

    /** Key of the stored state h_{T-1} in the rnnTimeStep and TBPTT state maps. */
    public static final String STATE_KEY_PREV_ACTIVATION = "prevAct";

    /** Activations of the last training forward pass, consumed by the next backprop. */
    private Trace trace;

    public GRULayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
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
        return backprop(epsilon, -1, null, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        // Without a trace, recompute from the state this segment started in, as DL4J's LSTM does
        return backprop(epsilon, tbpttBackLength, stateMap.get(STATE_KEY_PREV_ACTIVATION), workspaceMgr);
    }

    private static INDArray detach(INDArray state) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return state.dup('c');
        }
    }

    private boolean sigmoidGates() {
        return layerConf().getGateActivationFn() instanceof ActivationSigmoid;
    }

    private boolean tanhCandidate() {
        return layerConf().getActivationFn() instanceof ActivationTanH;
    }

    /**
     * Forward pass over the current input from state {@code h0} (null: zeros). With a non-null
     * {@code traceType} the arrays backprop needs are allocated as that type and kept.
     */
    private Forward forward(boolean training, INDArray h0, ArrayType traceType, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray x = permuteIfNWC(input.castTo(dataType));
        Preconditions.checkState(x.rank() == 3, "GRU (layer %s): expected input of rank 3 [minibatch, nIn, T],"
                + " got shape %s", layerId(), Arrays.toString(input.shape()));
        GRU c = layerConf();
        int mb = (int) x.size(0);
        int nIn = (int) x.size(1);
        int steps = (int) x.size(2);
        int h = (int) c.getNOut();
        Preconditions.checkState(nIn == c.getNIn(), "GRU (layer %s): input has %s features, layer nIn is %s",
                layerId(), nIn, c.getNIn());
        Preconditions.checkState(h0 == null || (h0.size(0) == mb && h0.size(1) == h),
                "GRU (layer %s): stored state has shape %s but the input has minibatch %s: rnnTimeStep with"
                        + " another minibatch size, or rnnClearPreviousState() not called between batches?",
                layerId(), h0 == null ? "" : Arrays.toString(h0.shape()), mb);
        Preconditions.checkState((long) steps * mb * 3 * h < Integer.MAX_VALUE,
                "GRU (layer %s): minibatch × T × 3·nOut must stay below 2^31", layerId());

        INDArray w = getParamWithNoise(GRUParamInitializer.INPUT_WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        double[] b = getParamWithNoise(GRUParamInitializer.INPUT_BIAS_KEY, training, mgr)
                .castTo(DataType.DOUBLE).toDoubleVector();
        double[] rb = getParamWithNoise(GRUParamInitializer.RECURRENT_BIAS_KEY, training, mgr)
                .castTo(DataType.DOUBLE).toDoubleVector();
        double[] bRz = new double[2 * h];
        for (int j = 0; j < 2 * h; j++) {
            bRz[j] = b[j] + rb[j];
        }
        double[] bIn = Arrays.copyOfRange(b, 2 * h, 3 * h);
        double[] bHn = Arrays.copyOfRange(rb, 2 * h, 3 * h);

        boolean tracing = traceType != null;
        ArrayType keep = tracing ? traceType : ArrayType.FF_WORKING_MEM;
        Trace tr = new Trace(this.input, this.maskArray, mb, steps);
        tr.x = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, nIn}, 'c');
        copyInputRows(x, tr.x, mb, nIn, steps);
        // The input projection of all steps in one product
        tr.g = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, 3L * h}, 'c');
        CpuBlas.gemm(tr.x, false, w, false, tr.g, 0.0);

        // per-step buffers in 'f' order: BLAS runs the per-step products fastest that way
        INDArray rec = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, 3L * h}, 'f');
        INDArray rz = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, 2L * h}, 'f');
        INDArray n = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        INDArray hPrev = mgr.create(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        if (h0 != null) {
            hPrev.assign(h0);
        }
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {mb, h, steps}, 'f');

        RawBuffer rzn = null;
        RawBuffer hn = null;
        RawBuffer states = null;
        RawBuffer preRz = null;
        RawBuffer preN = null;
        if (tracing) {
            tr.rzn = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, 3L * h}, 'c');
            tr.hn = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, h}, 'c');
            tr.states = mgr.createUninitialized(keep, dataType, new long[] {(long) (steps + 1) * mb, h}, 'c');
            tr.states.get(NDArrayIndex.interval(0, mb), NDArrayIndex.all()).assign(hPrev);
            rzn = RawBuffer.of(tr.rzn);
            hn = RawBuffer.of(tr.hn);
            states = RawBuffer.of(tr.states);
            // Pre-activations only for activations whose derivative does not follow from their output
            if (!sigmoidGates()) {
                tr.preRz = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, 2L * h}, 'c');
                preRz = RawBuffer.of(tr.preRz);
            }
            if (!tanhCandidate()) {
                tr.preN = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, h}, 'c');
                preN = RawBuffer.of(tr.preN);
            }
        }

        IActivation gateFn = c.getGateActivationFn();
        IActivation candidateFn = c.getActivationFn();
        double[] mask = tr.mask();
        RawBuffer g = RawBuffer.of(tr.g);
        RawBuffer recB = RawBuffer.of(rec);
        RawBuffer rzB = RawBuffer.of(rz);
        RawBuffer nB = RawBuffer.of(n);
        RawBuffer hPrevB = RawBuffer.of(hPrev);
        Strided3 outS = Strided3.of(out);
        for (int t = 0; t < steps; t++) {
            int row0 = t * mb;
            CpuBlas.gemm(hPrev, false, rw, false, rec, 0.0);
            GRUKernels.gatePreActivations(mb, h, g, row0, recB, bRz, rzB, preRz);
            activateInPlace(gateFn, rz, training);
            GRUKernels.candidatePreActivations(mb, h, g, row0, recB, bIn, bHn, rzB, nB, hn, preN);
            activateInPlace(candidateFn, n, training);
            GRUKernels.newState(mb, h, t, rzB, nB, hPrevB, mask, outS, rzn, states);
        }

        Forward f = new Forward();
        f.output = permuteIfNWC(out);
        f.lastState = hPrev;
        f.trace = tracing ? tr : null;
        return f;
    }

    private static void activateInPlace(IActivation fn, INDArray x, boolean training) {
        INDArray a = fn.getActivation(x, training);
        if (a != x) {
            x.assign(a);
        }
    }

    /** Rows t*mb + i of {@code rows} [T*mb, nIn] ← x[i, :, t]. */
    private static void copyInputRows(INDArray x, INDArray rows, int mb, int nIn, int steps) {
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
    }

    private Pair<Gradient, INDArray> backprop(INDArray epsilon, int backLength, INDArray h0, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Trace tr = trace;
        trace = null;
        if (tr == null || !tr.matches(input, maskArray)) {
            tr = forward(true, h0, ArrayType.BP_WORKING_MEM, mgr).trace;
        }
        GRU c = layerConf();
        int mb = tr.mb;
        int steps = tr.steps;
        int h = (int) c.getNOut();
        int nIn = (int) c.getNIn();
        int end = backLength > 0 ? Math.max(0, steps - backLength) : 0;
        INDArray eps = permuteIfNWC(epsilon.castTo(dataType));
        Preconditions.checkState(eps.rank() == 3 && eps.size(0) == mb && eps.size(1) == h && eps.size(2) == steps,
                "GRU (layer %s): epsilon shape %s does not match the output [%s, %s, %s]", layerId(),
                Arrays.toString(epsilon.shape()), mb, h, steps);

        INDArray w = getParamWithNoise(GRUParamInitializer.INPUT_WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);
        // f'(pre-activation) for all steps at once, for activations other than sigmoid gates / tanh
        RawBuffer dRz = tr.preRz == null ? null
                : RawBuffer.of(derivative(c.getGateActivationFn(), tr.preRz));
        RawBuffer dN = tr.preN == null ? null : RawBuffer.of(derivative(c.getActivationFn(), tr.preN));

        INDArray dh = mgr.create(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        INDArray dRStep = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, 3L * h}, 'f');
        INDArray dR = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[] {(long) steps * mb, 3L * h}, 'c');
        INDArray dG = tr.g; // the input projection is no longer needed: its gradient takes its place
        double[] dbI = new double[3 * h];
        double[] dbH = new double[3 * h];
        double[] mask = tr.mask();
        Strided3 epsS = Strided3.of(eps);
        RawBuffer dhB = RawBuffer.of(dh);
        RawBuffer rznB = RawBuffer.of(tr.rzn);
        RawBuffer hnB = RawBuffer.of(tr.hn);
        RawBuffer statesB = RawBuffer.of(tr.states);
        RawBuffer dGB = RawBuffer.of(dG);
        RawBuffer dRB = RawBuffer.of(dR);
        RawBuffer dRStepB = RawBuffer.of(dRStep);
        for (int t = steps - 1; t >= end; t--) {
            GRUKernels.backwardStep(mb, h, t, epsS, mask, dhB, rznB, hnB, statesB, dRz, dN, dGB, dRB, dRStepB,
                    dbI, dbH);
            if (t > end) {
                CpuBlas.gemm(dRStep, false, rw, true, dh, 1.0);
            }
        }
        System.arraycopy(dbI, 0, dbH, 0, 2 * h); // b_hr, b_hz enter exactly where b_ir, b_iz do

        // Parameter gradients over the steps backprop reached, one product each
        long r0 = (long) end * mb;
        long r1 = (long) steps * mb;
        INDArray dGRows = rows(dG, r0, r1);
        INDArray dRRows = rows(dR, r0, r1);
        CpuBlas.gemm(rows(tr.x, r0, r1), true, dGRows, false,
                gradientViews.get(GRUParamInitializer.INPUT_WEIGHT_KEY), 0.0);
        CpuBlas.gemm(rows(tr.states, r0, r1), true, dRRows, false,
                gradientViews.get(GRUParamInitializer.RECURRENT_WEIGHT_KEY), 0.0);
        writeVector(dbI, gradientViews.get(GRUParamInitializer.INPUT_BIAS_KEY));
        writeVector(dbH, gradientViews.get(GRUParamInitializer.RECURRENT_BIAS_KEY));

        INDArray dxRows = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {r1 - r0, nIn}, 'c');
        CpuBlas.gemm(dGRows, false, w, true, dxRows, 0.0);
        long[] epsShape = {mb, nIn, steps};
        // steps before a truncation point get no gradient: zeros
        INDArray epsOut = end == 0 ? mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, epsShape, 'f')
                : mgr.create(ArrayType.ACTIVATION_GRAD, dataType, epsShape, 'f');
        copyRowsToSequence(dxRows, epsOut, mb, nIn, end, steps);

        weightNoiseParams.clear();
        Gradient grad = new DefaultGradient(gradientsFlattened);
        for (String key : GRUParamInitializer.getInstance().paramKeys(c)) {
            grad.gradientForVariable().put(key, gradientViews.get(key));
        }
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(grad, permuteIfNWC(epsOut));
    }

    /** f'(pre) elementwise (may overwrite {@code pre}), in the 'c' layout of {@code pre}. */
    private static INDArray derivative(IActivation fn, INDArray pre) {
        INDArray d = fn.backprop(pre, Nd4j.onesLike(pre)).getFirst();
        return d.ordering() == 'c' && Shape.hasDefaultStridesForShape(d) ? d : d.dup('c');
    }

    private static INDArray rows(INDArray a, long from, long to) {
        if (from == 0 && to == a.size(0)) {
            return a;
        }
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private static void writeVector(double[] values, INDArray target) {
        RawBuffer t = RawBuffer.of(target);
        for (int j = 0; j < values.length; j++) {
            t.set(j, values[j]);
        }
    }

    /** eps[i, :, t] ← rows[(t − from)*mb + i] for t in [from, to); other steps stay zero. */
    private static void copyRowsToSequence(INDArray rows, INDArray eps, int mb, int nIn, int from, int to) {
        RawBuffer src = RawBuffer.of(rows);
        Strided3 dst = Strided3.of(eps);
        for (int t = from; t < to; t++) {
            for (int i = 0; i < mb; i++) {
                int r = ((t - from) * mb + i) * nIn;
                for (int k = 0; k < nIn; k++) {
                    dst.set(i, k, t, src.get(r + k));
                }
            }
        }
    }

    private static final class Forward {
        INDArray output;
        INDArray lastState;
        Trace trace;
    }

    /**
     * What backprop needs from a forward pass. Row t*mb + i of each array is example i at step t;
     * see {@link GRUKernels} for the layouts.
     */
    private static final class Trace {
        final INDArray input;
        final INDArray maskArray;
        final int mb;
        final int steps;
        INDArray x;
        INDArray g;
        INDArray rzn;
        INDArray hn;
        INDArray states;
        INDArray preRz;
        INDArray preN;

        Trace(INDArray input, INDArray maskArray, int mb, int steps) {
            this.input = input;
            this.maskArray = maskArray;
            this.mb = mb;
            this.steps = steps;
        }

        /**
         * Whether this trace belongs to the layer's current input and mask and its workspace memory
         * has not been released since (identity, not equality: the arrays are the ones set on the layer).
         */
        boolean matches(INDArray currentInput, INDArray currentMask) {
            return currentInput == input && currentMask == maskArray && rzn != null && !rzn.wasClosed()
                    && !x.wasClosed() && !g.wasClosed() && !states.wasClosed();
        }

        /** The mask as values [t*mb + i], or null without a mask. */
        double[] mask() {
            if (maskArray == null) {
                return null;
            }
            Preconditions.checkState(maskArray.rank() == 2 && maskArray.size(0) == mb && maskArray.size(1) == steps,
                    "GRU: feature mask must have shape [minibatch, T] = [%s, %s], got %s", mb, steps,
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
