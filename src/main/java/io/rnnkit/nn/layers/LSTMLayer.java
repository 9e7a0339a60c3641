package io.rnnkit.nn.layers;

import static org.deeplearning4j.nn.params.LSTMParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.LSTMParamInitializer.INPUT_WEIGHT_KEY;
import static org.deeplearning4j.nn.params.LSTMParamInitializer.RECURRENT_WEIGHT_KEY;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The implementation of rnnkit's {@link FusedLSTM} (equations and parameter layout there; column blocks
 * g | f | o | i of width H).
 *
 * <p><b>Computation</b>, as in {@link GRULayer}: the input projection X·W of all T steps is one
 * matrix product; each step does one product h_{t-1}·RW [mb, 4H] through CBLAS ({@link CpuBlas};
 * or Java lanes, as there) into a per-step buffer in 'f' order, a fused Java loop adding the input
 * projection and bias, the two activation calls (φ on the g block, σ on f | o | i, contiguous in
 * 'f' order), a fused loop for the cell c_t = f⊙c_{t-1} + i⊙g, one activation call φ(c_t) and a
 * fused loop for h_t = o⊙φ(c_t) (the loops in {@link LSTMKernels}, their FLOAT SIMD counterparts in
 * {@link LstmLanes}); nothing is allocated inside the time loop. With the usual tanh and
 * sigmoid the activations run inside the fused loops instead ({@link LoopActivations}), so a step
 * makes one native call, the product. A training forward
 * pass keeps the activated gates, φ(c_t) and the states h, c entering each step for backprop.
 *
 * <p><b>Backprop</b>, with δh, δc the gradients of the carried state after step t and m the mask value:
 *
 * <pre>
 *   dh  = m·(ε_t + δh)                            gradient reaching h_t
 *   dc  = m·δc + dh ⊙ o ⊙ φ'(c_t)
 *   do  = dh ⊙ φ(c_t) ⊙ σ'(o),   df = dc ⊙ c_{t-1} ⊙ σ'(f),   di = dc ⊙ g ⊙ σ'(i),   dg = dc ⊙ i ⊙ φ'(g)
 *   δc ← dc ⊙ f + (1 − m)·δc,    δh ← [dg | df | do | di]·RWᵀ + (1 − m)·δh
 * </pre>
 *
 * and dW, dRW, db and the input gradient as one product (or column sum) each over all steps. With
 * tanh/sigmoid the derivatives come from the activated values; other activations keep their
 * pre-activations. Masks (a masked step leaves h and c unchanged and passes their gradients
 * through), state and truncated BPTT: see {@link FusedRecurrentLayer}.
 */
public class LSTMLayer extends FusedRecurrentLayer<org.deeplearning4j.nn.conf.layers.LSTM> {

    public LSTMLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    boolean layerNormalised() {
        return layerConf() instanceof FusedLSTM l && l.isLayerNorm();
    }

    /** tanh on the block and the cell, sigmoid gates: all activations run inside the fused loops. */
    private boolean standardActivations() {
        return LoopActivations.isTanh(layerConf().getActivationFn())
                && LoopActivations.isSigmoid(layerConf().getGateActivationFn());
    }

    /** FLOAT with tanh and sigmoid: the step's elementwise work runs in SIMD lanes ({@link LstmLanes}). */
    private boolean lanes() {
        return FloatLanes.use(dataType) && standardActivations() && !layerNormalised();
    }

    @Override
    Forward forward(boolean training, INDArray state0, ArrayType traceType, LayerWorkspaceMgr mgr) {
        int h = (int) layerConf().getNOut();
        boolean tracing = traceType != null;
        Projection projection = project(training, state0, 2L * h, traceType, INPUT_WEIGHT_KEY, 4 * h, mgr);
        ArrayType keep = projection.keep();
        INDArray rw = getParamWithNoise(RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray bias = getParamWithNoise(BIAS_KEY, training, mgr);
        LstmTrace tr = new LstmTrace(this.input, this.maskArray, projection);
        if (lanes()) {
            return forwardInLanes(state0, tracing, keep, rw, FloatLanes.vector(bias), tr, mgr);
        }
        double[] b = toDoubles(bias);
        LayerNorm[] norms = layerNorms(training, mgr);
        if (norms != null) {
            normaliseInputs(norms, tr, 4 * h, tracing, keep, mgr);
        }
        int mb = tr.mb;
        int steps = tr.steps;
        IActivation phi = layerConf().getActivationFn();
        IActivation sigma = layerConf().getGateActivationFn();
        // per-step buffers, 'f': z = pre-activations then activations g | f | o | i; hc = h | c carried
        INDArray z = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, 4L * h}, 'f');
        INDArray zG = z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
        INDArray zFoi = z.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 4 * h));
        INDArray phiC = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        INDArray hc = mgr.create(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, 2L * h}, 'f');
        if (state0 != null) {
            hc.assign(state0);
        }
        INDArray hPrev = hc.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
        INDArray out = outputArray(mgr, mb, h, steps);
        RawBuffer acts = null;
        RawBuffer phiCs = null;
        RawBuffer hs = null;
        RawBuffer cs = null;
        RawBuffer pre = null;
        if (tracing) {
            tr.allocate(h, keep, dataType, mgr);
            tr.hs.get(NDArrayIndex.interval(0, mb), NDArrayIndex.all()).assign(hPrev);
            tr.cs.get(NDArrayIndex.interval(0, mb), NDArrayIndex.all())
                    .assign(hc.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h)));
            acts = RawBuffer.of(tr.acts);
            phiCs = RawBuffer.of(tr.phiC);
            hs = RawBuffer.of(tr.hs);
            cs = RawBuffer.of(tr.cs);
            if (!standardActivations()) {
                tr.pre = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, 4L * h}, 'c');
                pre = RawBuffer.of(tr.pre);
            }
        }
        double[] mask = tr.mask();
        RawBuffer g = RawBuffer.of(tr.g);
        RawBuffer zB = RawBuffer.of(z);
        RawBuffer phiCB = RawBuffer.of(phiC);
        RawBuffer hcB = RawBuffer.of(hc);
        Strided3 outS = Strided3.of(out);
        boolean inLoop = standardActivations();
        CpuBlas.Product recurrent = CpuBlas.product(hPrev, false, rw, false, z);
        for (int t = 0; t < steps; t++) {
            recurrent.run(0.0);
            if (norms != null) {
                norms[1].forward(zB, 0, 1, mb, mb, tr.normH, t * mb);
            }
            LSTMKernels.preActivations(mb, h, t, g, b, zB, pre, inLoop);
            if (!inLoop) {
                activateInPlace(phi, zG, training);
                activateInPlace(sigma, zFoi, training);
            }
            LSTMKernels.cell(mb, h, zB, hcB, phiCB, inLoop);
            if (!inLoop) {
                activateInPlace(phi, phiC, training);
            }
            LSTMKernels.newState(mb, h, t, zB, phiCB, hcB, mask, outS, acts, phiCs, hs, cs);
        }
        return finish(out, hc, tracing ? tr : null);
    }

    /**
     * The forward pass of {@link #forward} for {@link #lanes()}: each step copies the product h_{t-1}·RW
     * and the step's input projection into Java arrays, runs {@link LstmLanes} on them and copies the new
     * h back for the next product; the trace is written a step's rows at a time. Each part of the
     * minibatch ({@link LayerThreads}) runs the whole time loop on its rows.
     */
    private Forward forwardInLanes(INDArray state0, boolean tracing, ArrayType keep, INDArray rw, float[] b,
            LstmTrace tr, LayerWorkspaceMgr mgr) {
        int h = (int) layerConf().getNOut();
        int mb = tr.mb;
        int steps = tr.steps;
        INDArray out = outputArray(mgr, mb, h, steps);
        float[] hAll = new float[mb * h];
        float[] cAll = new float[mb * h];
        if (state0 != null) {
            FloatLanes.readState(state0, mb, h, hAll, cAll);
        }
        LanesSteps.Stepped[] trace = null;
        if (tracing) {
            tr.allocate(h, keep, dataType, mgr);
            trace = new LanesSteps.Stepped[] {LanesSteps.Stepped.of(tr.acts, 0), LanesSteps.Stepped.of(tr.phiC, 0),
                LanesSteps.Stepped.of(tr.hs, 1), LanesSteps.Stepped.of(tr.cs, 1)};
            trace[2].buffer().put(0, hAll);
            trace[3].buffer().put(0, cAll);
        }
        LanesSteps.Forward[] passes = LanesSteps.Forward.of(rw, 4 * h, out, mb, h, buffers());
        LanesSteps.forward(passes, steps, 4 * h, FloatLanes.view(tr.g), tr.mask(), new float[][] {hAll, cAll}, trace,
                r -> {
                    float[] phiC = new float[r.rows * h];
                    return new LanesSteps.ForwardPart((m, t) -> {
                        LstmLanes.gates(r.z, r.g, b, r.rows, h);
                        LstmLanes.cell(r.z, r.state[0], r.state[1], phiC, r.y, m, t, r.rows, h);
                    }, r.z, phiC, r.state[0], r.state[1]);
                });
        INDArray hc = buffers().get(InferenceBuffers.Slot.LAST_STATE, mgr, ArrayType.FF_WORKING_MEM, dataType,
                new long[] {mb, 2L * h}, 'c');
        FloatLanes.writeState(hc, mb, h, hAll, cAll);
        return finish(out, hc, tracing ? tr : null);
    }

    @Override
    Pair<Gradient, INDArray> backprop(INDArray epsilon, int backLength, Trace trace, LayerWorkspaceMgr mgr) {
        LstmTrace tr = (LstmTrace) trace;
        int end = backLength > 0 ? Math.max(0, tr.steps - backLength) : 0;
        INDArray w = getParamWithNoise(INPUT_WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(RECURRENT_WEIGHT_KEY, true, mgr);
        if (lanes()) {
            return backpropInLanes(epsilon, end, w, rw, tr, mgr);
        }
        int mb = tr.mb;
        int steps = tr.steps;
        int h = (int) layerConf().getNOut();
        int h4 = 4 * h;
        Strided3 eps = Strided3.of(epsilon(epsilon, mb, steps));
        // f'(pre-activation) and φ'(c) for activations other than tanh / sigmoid
        RawBuffer dPre = null;
        RawBuffer dPhiC = null;
        if (tr.pre != null) {
            INDArray d = tr.pre.dup('c');
            INDArray block = d.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
            block.assign(derivative(layerConf().getActivationFn(), block.dup('c')));
            INDArray gates = d.get(NDArrayIndex.all(), NDArrayIndex.interval(h, h4));
            gates.assign(derivative(layerConf().getGateActivationFn(), gates.dup('c')));
            dPre = RawBuffer.of(d);
            INDArray cells = FusedRecurrentLayer.rows(tr.cs, mb, (long) (steps + 1) * mb).dup('c');
            dPhiC = RawBuffer.of(derivative(layerConf().getActivationFn(), cells));
        }

        INDArray dhc = mgr.create(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, 2L * h}, 'f');
        INDArray dh = dhc.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h));
        INDArray dzStep = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, 4L * h}, 'f');
        INDArray dG = tr.g; // the input projection is no longer needed: its gradient takes its place
        double[] db = new double[h4];
        double[] mask = tr.mask();
        RawBuffer dhcB = RawBuffer.of(dhc);
        RawBuffer dzB = RawBuffer.of(dzStep);
        RawBuffer dGB = RawBuffer.of(dG);
        RawBuffer acts = RawBuffer.of(tr.acts);
        RawBuffer phiCs = RawBuffer.of(tr.phiC);
        RawBuffer cs = RawBuffer.of(tr.cs);
        CpuBlas.Product back = CpuBlas.product(dzStep, false, rw, true, dh);
        LayerNorm[] norms = layerNorms(true, mgr);
        double[][] normH = {new double[h4], new double[h4]};
        // with layer norm the recurrent weights see the gradient below the recurrent norm, no longer dG's
        INDArray dRec = norms == null ? dG : mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[] {(long) steps * mb, h4}, 'c');
        RawBuffer dRecB = RawBuffer.of(dRec);
        for (int t = steps - 1; t >= end; t--) {
            LSTMKernels.backwardStep(mb, h, t, eps, mask, dhcB, acts, phiCs, cs, dPre, dPhiC, dGB, dzB, db);
            if (norms != null) {
                norms[1].backward(dzB, 0, 1, mb, mb, tr.normH, t * mb, normH[0], normH[1]);
                copyStep(dzB, false, dRecB, t, mb, h4);
            }
            if (t > end) {
                back.run(1.0);
            }
        }
        writeVector(db, gradientViews.get(BIAS_KEY));
        if (norms != null) {
            finishNormGradients(norms, tr, dG, h4, end, normH);
        }
        return weightAndInputGradients(tr.x, dG, tr.hs, dRec, w, mb, steps, end, INPUT_WEIGHT_KEY,
                RECURRENT_WEIGHT_KEY, mgr);
    }

    /**
     * The backprop of {@link #backprop} for {@link #lanes()}: a step's rows of the trace are copied into
     * Java arrays, {@link LstmLanes#backward} computes the gate gradients, which go into the step's rows of
     * dG (the input projection's array, as in the scalar path); the carried dh gets dG_t·RWᵀ. Each part of
     * the minibatch runs the whole time loop on its rows; their bias gradients are added in part order.
     */
    private Pair<Gradient, INDArray> backpropInLanes(INDArray epsilon, int end, INDArray w, INDArray rw, LstmTrace tr,
            LayerWorkspaceMgr mgr) {
        int mb = tr.mb;
        int steps = tr.steps;
        int h = (int) layerConf().getNOut();
        LanesSteps.Backward[] passes = LanesSteps.Backward.of(epsilon(epsilon, mb, steps), rw, 4 * h, mb, h,
                dataType, mgr);
        INDArray dG = tr.g; // the input projection is no longer needed: its gradient takes its place
        LanesSteps.Stepped[] in = {LanesSteps.Stepped.of(tr.acts, 0), LanesSteps.Stepped.of(tr.phiC, 0),
            LanesSteps.Stepped.of(tr.cs, 0)};
        double[][] db = LanesSteps.backward(passes, steps, end, tr.mask(), in,
                new LanesSteps.Stepped[] {LanesSteps.Stepped.of(dG, 0)}, 0, new int[] {4 * h}, r -> {
                    float[] dc = new float[r.rows * h];
                    return (eps, m, t) -> LstmLanes.backward(r.in[0], r.in[1], r.in[2], eps, r.dh, dc, r.out[0], r.db[0],
                            m, t, r.rows, h);
                });
        writeVector(db[0], gradientViews.get(BIAS_KEY));
        return weightAndInputGradients(tr.x, dG, tr.hs, dG, w, mb, steps, end, INPUT_WEIGHT_KEY,
                RECURRENT_WEIGHT_KEY, mgr);
    }

    private static final class LstmTrace extends Trace {
        INDArray acts;
        INDArray phiC;
        INDArray hs;
        INDArray cs;
        INDArray pre;

        LstmTrace(INDArray input, INDArray maskArray, Projection projection) {
            super(input, maskArray, projection);
        }

        /** The arrays a training forward pass fills: activated gates, φ(c), and the states h, c entering each step. */
        void allocate(int h, ArrayType keep, DataType type, LayerWorkspaceMgr mgr) {
            acts = mgr.createUninitialized(keep, type, new long[] {(long) steps * mb, 4L * h}, 'c');
            phiC = mgr.createUninitialized(keep, type, new long[] {(long) steps * mb, h}, 'c');
            hs = mgr.createUninitialized(keep, type, new long[] {(long) (steps + 1) * mb, h}, 'c');
            cs = mgr.createUninitialized(keep, type, new long[] {(long) (steps + 1) * mb, h}, 'c');
        }

        @Override
        INDArray[] arrays() {
            return new INDArray[] {x, g, acts, phiC, hs, cs};
        }
    }
}
