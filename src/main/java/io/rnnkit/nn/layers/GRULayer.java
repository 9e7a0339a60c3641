package io.rnnkit.nn.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Gated recurrent unit layer (the implementation of {@link FusedGRU}):
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
 * h_{t-1}·RW for all three gates (through CBLAS, {@link CpuBlas}; on the FLOAT SIMD path with at least 4 rows in Java
 * lanes with RW packed once per pass, {@link LanesSteps}), the gate activations on
 * contiguous per-step buffers (inside the fused loops for sigmoid gates and a tanh candidate,
 * {@link LoopActivations}), and the elementwise arithmetic as fused Java loops
 * ({@link GRUKernels}); no array is allocated inside the time loop. A training forward pass keeps r, z, n, W_hn h + b_hn and the states ("trace") in the
 * activations workspace, and the following backprop uses them instead of running the forward pass
 * again (DL4J's LSTM and SimpleRnn repeat it). Backprop does one product dL/d(rec)·RWᵀ per step and
 * three products over all steps: the gradients of W and RW and the input gradient.
 *
 * <p><b>Backprop</b>, with δh the gradient of the carried state after step t, m the mask value and
 * a_t = W_hn h_{t-1} + b_hn (kept in the trace):
 *
 * <pre>
 *   dh  = m·(ε_t + δh)                                     gradient reaching h_t
 *   dn  = dh ⊙ (1 − z_t) ⊙ φ'(n_t)                         through h_t = (1 − z)⊙n + z⊙h_{t-1}
 *   dz  = dh ⊙ (h_{t-1} − n_t) ⊙ σ'(z_t)
 *   dr  = dn ⊙ a_t ⊙ σ'(r_t),     da = dn ⊙ r_t             through n_t = φ(… + r_t ⊙ a_t)
 *   δh ← dh ⊙ z_t + [dr | dz | da]·RWᵀ + (1 − m)·δh
 * </pre>
 *
 * Summed over all steps: dW = Xᵀ·[dr | dz | dn] and db = Σ [dr | dz | dn] (the input side), dRW =
 * H_{t-1}ᵀ·[dr | dz | da] and drb = Σ [dr | dz | da] (the recurrent side; b_hr, b_hz get the same
 * gradient as b_ir, b_iz), and the input gradient [dr | dz | dn]·Wᵀ. With sigmoid gates and a tanh
 * candidate the derivatives come from the activated values (σ' = σ(1 − σ), φ' = 1 − φ²); other
 * activations keep their pre-activations.
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
public class GRULayer extends FusedRecurrentLayer<FusedGRU> {

    public GRULayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    boolean layerNormalised() {
        return layerConf().isLayerNorm();
    }

    private boolean sigmoidGates() {
        return LoopActivations.isSigmoid(layerConf().getGateActivationFn());
    }

    private boolean tanhCandidate() {
        return LoopActivations.isTanh(layerConf().getActivationFn());
    }

    /**
     * The biases as the step arithmetic uses them: b_i + b_h for the reset and update gates (they add up
     * before σ), and b_in, b_hn apart (b_hn sits inside r ⊙ (W_hn h + b_hn)).
     */
    private double[][] biases(boolean training, LayerWorkspaceMgr mgr) {
        int h = (int) layerConf().getNOut();
        double[] b = toDoubles(getParamWithNoise(GRUParamInitializer.INPUT_BIAS_KEY, training, mgr));
        double[] rb = toDoubles(getParamWithNoise(GRUParamInitializer.RECURRENT_BIAS_KEY, training, mgr));
        double[] bRz = new double[2 * h];
        for (int j = 0; j < 2 * h; j++) {
            bRz[j] = b[j] + rb[j];
        }
        return new double[][] {bRz, Arrays.copyOfRange(b, 2 * h, 3 * h), Arrays.copyOfRange(rb, 2 * h, 3 * h)};
    }

    /** FLOAT with sigmoid gates and a tanh candidate: the step's elementwise work runs in SIMD lanes. */
    private boolean lanes() {
        return FloatLanes.use(dataType) && sigmoidGates() && tanhCandidate() && !layerNormalised();
    }

    @Override
    Forward forward(boolean training, INDArray h0, ArrayType traceType, LayerWorkspaceMgr mgr) {
        FusedGRU c = layerConf();
        int h = (int) c.getNOut();
        boolean tracing = traceType != null;
        Projection projection = project(training, h0, h, traceType, GRUParamInitializer.INPUT_WEIGHT_KEY, 3 * h, mgr);
        ArrayType keep = projection.keep();
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        double[][] biases = biases(training, mgr);
        GruTrace tr = new GruTrace(this.input, this.maskArray, projection);
        if (lanes()) {
            return forwardInLanes(h0, tracing, keep, rw, biases, tr, mgr);
        }
        LayerNorm[] norms = layerNorms(training, mgr);
        if (norms != null) {
            normaliseInputs(norms, tr, 3 * h, tracing, keep, mgr);
        }
        int mb = tr.mb;
        int steps = tr.steps;
        double[] bRz = biases[0];
        double[] bIn = biases[1];
        double[] bHn = biases[2];

        // per-step buffers in 'f' order: BLAS runs the per-step products fastest that way
        INDArray rec = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, 3L * h}, 'f');
        INDArray rz = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, 2L * h}, 'f');
        INDArray n = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        INDArray hPrev = mgr.create(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        if (h0 != null) {
            hPrev.assign(h0);
        }
        INDArray out = outputArray(mgr, mb, h, steps);

        RawBuffer rzn = null;
        RawBuffer hn = null;
        RawBuffer states = null;
        RawBuffer preRz = null;
        RawBuffer preN = null;
        if (tracing) {
            tr.allocate(h, keep, dataType, mgr);
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
        boolean sigmoidInLoop = sigmoidGates();
        boolean tanhInLoop = tanhCandidate();
        CpuBlas.Product recurrent = CpuBlas.product(hPrev, false, rw, false, rec);
        for (int t = 0; t < steps; t++) {
            int row0 = t * mb;
            recurrent.run(0.0);
            if (norms != null) {
                norms[1].forward(recB, 0, 1, mb, mb, tr.normH, row0);
            }
            GRUKernels.gatePreActivations(mb, h, g, row0, recB, bRz, rzB, preRz, sigmoidInLoop);
            if (!sigmoidInLoop) {
                activateInPlace(gateFn, rz, training);
            }
            GRUKernels.candidatePreActivations(mb, h, g, row0, recB, bIn, bHn, rzB, nB, hn, preN, tanhInLoop);
            if (!tanhInLoop) {
                activateInPlace(candidateFn, n, training);
            }
            GRUKernels.newState(mb, h, t, rzB, nB, hPrevB, mask, outS, rzn, states);
        }

        return finish(out, hPrev, tracing ? tr : null);
    }

    /**
     * The forward pass for {@link #lanes()}, as {@link LSTMLayer}'s: per step the recurrent product and
     * the step's input projection are copied into Java arrays, {@link GruLanes#step} computes the gates
     * and the new state, which goes back for the next product; the trace is written a step's rows at a time.
     */
    private Forward forwardInLanes(INDArray h0, boolean tracing, ArrayType keep, INDArray rw, double[][] biases,
            GruTrace tr, LayerWorkspaceMgr mgr) {
        int h = (int) layerConf().getNOut();
        int mb = tr.mb;
        int steps = tr.steps;
        float[] bRz = FloatLanes.floats(biases[0]);
        float[] bIn = FloatLanes.floats(biases[1]);
        float[] bHn = FloatLanes.floats(biases[2]);
        INDArray out = outputArray(mgr, mb, h, steps);
        float[] hAll = new float[mb * h];
        if (h0 != null) {
            FloatLanes.readState(h0, mb, h, hAll);
        }
        LanesSteps.Stepped[] trace = null;
        if (tracing) {
            tr.allocate(h, keep, dataType, mgr);
            trace = new LanesSteps.Stepped[] {LanesSteps.Stepped.of(tr.rzn, 0), LanesSteps.Stepped.of(tr.hn, 0),
                LanesSteps.Stepped.of(tr.states, 1)};
            trace[2].buffer().put(0, hAll);
        }
        LanesSteps.Forward[] passes = LanesSteps.Forward.of(rw, 3 * h, out, mb, h, buffers());
        LanesSteps.forward(passes, steps, 3 * h, FloatLanes.view(tr.g), tr.mask(), new float[][] {hAll}, trace, r -> {
            float[] rzn = new float[r.rows * 3 * h];
            float[] hn = new float[r.rows * h];
            return new LanesSteps.ForwardPart((m, t) -> GruLanes.step(r.g, r.z, bRz, bIn, bHn, rzn, hn, r.state[0], r.y,
                    m, t, r.rows, h), rzn, hn, r.state[0]);
        });
        INDArray hLast = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'c');
        FloatLanes.writeState(hLast, mb, h, hAll);
        return finish(out, hLast, tracing ? tr : null);
    }

    @Override
    Pair<Gradient, INDArray> backprop(INDArray epsilon, int backLength, Trace trace, LayerWorkspaceMgr mgr) {
        GruTrace tr = (GruTrace) trace;
        int end = backLength > 0 ? Math.max(0, tr.steps - backLength) : 0;
        INDArray w = getParamWithNoise(GRUParamInitializer.INPUT_WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);
        if (lanes()) {
            return backpropInLanes(epsilon, end, w, rw, tr, mgr);
        }
        FusedGRU c = layerConf();
        int mb = tr.mb;
        int steps = tr.steps;
        int h = (int) c.getNOut();
        INDArray eps = epsilon(epsilon, mb, steps);
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
        CpuBlas.Product back = CpuBlas.product(dRStep, false, rw, true, dh);
        LayerNorm[] norms = layerNorms(true, mgr);
        double[][] normH = {new double[3 * h], new double[3 * h]};
        for (int t = steps - 1; t >= end; t--) {
            GRUKernels.backwardStep(mb, h, t, epsS, mask, dhB, rznB, hnB, statesB, dRz, dN, dGB, dRB, dRStepB,
                    dbI, dbH);
            if (norms != null) {
                // the kernel's gradient is of the norm's output: through the norm to h_{t-1}·RW, for RW and h_{t-1}
                norms[1].backward(dRB, (long) t * mb * 3 * h, 3L * h, 1, mb, tr.normH, t * mb, normH[0], normH[1]);
                copyStep(dRB, true, dRStepB, t, mb, 3 * h);
            }
            if (t > end) {
                back.run(1.0);
            }
        }
        System.arraycopy(dbI, 0, dbH, 0, 2 * h); // b_hr, b_hz enter exactly where b_ir, b_iz do
        if (norms != null) {
            finishNormGradients(norms, tr, dG, 3 * h, end, normH);
        }

        // Parameter gradients over the steps backprop reached, one product each
        writeVector(dbI, gradientViews.get(GRUParamInitializer.INPUT_BIAS_KEY));
        writeVector(dbH, gradientViews.get(GRUParamInitializer.RECURRENT_BIAS_KEY));
        return weightAndInputGradients(tr.x, dG, tr.states, dR, w, mb, steps, end,
                GRUParamInitializer.INPUT_WEIGHT_KEY, GRUParamInitializer.RECURRENT_WEIGHT_KEY, mgr);
    }

    /**
     * The backprop for {@link #lanes()}: {@link GruLanes#backward} on a step's rows of the trace at a time,
     * each part of the minibatch over the whole time loop; bias gradients added in part order.
     */
    private Pair<Gradient, INDArray> backpropInLanes(INDArray epsilon, int end, INDArray w, INDArray rw, GruTrace tr,
            LayerWorkspaceMgr mgr) {
        int mb = tr.mb;
        int steps = tr.steps;
        int h = (int) layerConf().getNOut();
        LanesSteps.Backward[] passes = LanesSteps.Backward.of(epsilon(epsilon, mb, steps), rw, 3 * h, mb, h,
                dataType, mgr);
        INDArray dR = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[] {(long) steps * mb, 3L * h}, 'c');
        INDArray dG = tr.g; // the input projection is no longer needed: its gradient takes its place
        LanesSteps.Stepped[] in = {LanesSteps.Stepped.of(tr.rzn, 0), LanesSteps.Stepped.of(tr.hn, 0),
            LanesSteps.Stepped.of(tr.states, 0)};
        LanesSteps.Stepped[] out = {LanesSteps.Stepped.of(dG, 0), LanesSteps.Stepped.of(dR, 0)};
        double[][] db = LanesSteps.backward(passes, steps, end, tr.mask(), in, out, 1, new int[] {3 * h, h},
                r -> (eps, m, t) -> GruLanes.backward(r.in[0], r.in[1], r.in[2], eps, r.dh, r.out[0], r.out[1], r.db[0],
                        r.db[1], m, t, r.rows, h));
        double[] dbIn = db[0];
        double[] dbH = new double[3 * h];
        System.arraycopy(dbIn, 0, dbH, 0, 2 * h); // b_hr, b_hz enter exactly where b_ir, b_iz do
        System.arraycopy(db[1], 0, dbH, 2 * h, h);
        writeVector(dbIn, gradientViews.get(GRUParamInitializer.INPUT_BIAS_KEY));
        writeVector(dbH, gradientViews.get(GRUParamInitializer.RECURRENT_BIAS_KEY));
        return weightAndInputGradients(tr.x, dG, tr.states, dR, w, mb, steps, end,
                GRUParamInitializer.INPUT_WEIGHT_KEY, GRUParamInitializer.RECURRENT_WEIGHT_KEY, mgr);
    }

    /**
     * What backprop needs from a forward pass. Row t*mb + i of each array is example i at step t;
     * see {@link GRUKernels} for the layouts.
     */
    private static final class GruTrace extends Trace {
        INDArray rzn;
        INDArray hn;
        INDArray states;
        INDArray preRz;
        INDArray preN;

        GruTrace(INDArray input, INDArray maskArray, Projection projection) {
            super(input, maskArray, projection);
        }

        /** The arrays a training forward pass fills: r | z | n, W_hn h + b_hn, and the states. */
        void allocate(int h, ArrayType keep, DataType type, LayerWorkspaceMgr mgr) {
            rzn = mgr.createUninitialized(keep, type, new long[] {(long) steps * mb, 3L * h}, 'c');
            hn = mgr.createUninitialized(keep, type, new long[] {(long) steps * mb, h}, 'c');
            states = mgr.createUninitialized(keep, type, new long[] {(long) (steps + 1) * mb, h}, 'c');
        }

        @Override
        INDArray[] arrays() {
            return new INDArray[] {x, g, rzn, states};
        }
    }
}
