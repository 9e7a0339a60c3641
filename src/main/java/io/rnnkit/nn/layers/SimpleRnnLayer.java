package io.rnnkit.nn.layers;

import static org.deeplearning4j.nn.params.SimpleRnnParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY;
import static org.deeplearning4j.nn.params.SimpleRnnParamInitializer.WEIGHT_KEY;

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
 * The implementation of rnnkit's {@link FusedSimpleRnn}: h_t = f(x_t·W + h_{t-1}·RW + b).
 *
 * <p><b>Computation</b>, as in {@link GRULayer}: the input projection X·W of all T steps is one
 * matrix product ([T*mb, nIn] rows of the input); each step does one product h_{t-1}·RW through
 * CBLAS ({@link CpuBlas}; or Java lanes, as there) into a per-step buffer in 'f' order, a fused Java loop adding the
 * input projection and bias, and the activation (the loops in {@link SimpleRnnKernels}, their FLOAT
 * SIMD counterparts in {@link SimpleRnnLanes}); nothing is allocated inside the time loop. A
 * training forward pass keeps the states (and, for activations other than tanh, the
 * pre-activations) for the following backprop. Backprop, with d_t = m_t·(ε_t + δ_t) the gradient
 * reaching step t's output (δ_t from step t+1, m_t the mask value):
 *
 * <pre>
 *   dz_t    = d_t ⊙ f'(z_t)                          (tanh: 1 − h_t²)
 *   δ_{t-1} = dz_t·RWᵀ + (1 − m_t)·δ_t
 *   dW = Σ_t x_tᵀ·dz_t,  dRW = Σ_t h_{t-1}ᵀ·dz_t,  db = Σ_t Σ_i dz_t,  dx_t = dz_t·Wᵀ
 * </pre>
 *
 * with the three sums over steps as one product each. Masks, state and truncated BPTT: see
 * {@link FusedRecurrentLayer}. Dropout applies to the layer input, weight noise to all parameters.
 */
public class SimpleRnnLayer extends FusedRecurrentLayer<org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn> {

    private static final List<String> PARAM_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);

    public SimpleRnnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    Iterable<String> paramKeys() {
        return PARAM_KEYS;
    }

    @Override
    boolean layerNormalised() {
        return false;
    }

    /** FLOAT with tanh: the step's elementwise work runs in SIMD lanes ({@link SimpleRnnLanes}). */
    private boolean lanes() {
        return FloatLanes.use(dataType) && LoopActivations.isTanh(layerConf().getActivationFn());
    }

    @Override
    Forward forward(boolean training, INDArray h0, ArrayType traceType, LayerWorkspaceMgr mgr) {
        int h = (int) layerConf().getNOut();
        boolean tracing = traceType != null;
        Projection projection = project(training, h0, h, traceType, WEIGHT_KEY, h, mgr);
        ArrayType keep = projection.keep();
        INDArray rw = getParamWithNoise(RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray bias = getParamWithNoise(BIAS_KEY, training, mgr);
        RnnTrace tr = new RnnTrace(this.input, this.maskArray, projection);
        if (lanes()) {
            return forwardInLanes(h0, tracing, keep, rw, FloatLanes.vector(bias), tr, mgr);
        }
        double[] b = toDoubles(bias);
        int mb = tr.mb;
        int steps = tr.steps;
        IActivation fn = layerConf().getActivationFn();
        INDArray z = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        INDArray hPrev = mgr.create(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        if (h0 != null) {
            hPrev.assign(h0);
        }
        INDArray out = outputArray(mgr, mb, h, steps);
        RawBuffer states = null;
        RawBuffer pre = null;
        if (tracing) {
            tr.states = mgr.createUninitialized(keep, dataType, new long[] {(long) (steps + 1) * mb, h}, 'c');
            tr.states.get(NDArrayIndex.interval(0, mb), NDArrayIndex.all()).assign(hPrev);
            states = RawBuffer.of(tr.states);
            if (!LoopActivations.isTanh(fn)) {
                tr.pre = mgr.createUninitialized(keep, dataType, new long[] {(long) steps * mb, h}, 'c');
                pre = RawBuffer.of(tr.pre);
            }
        }
        double[] mask = tr.mask();
        RawBuffer g = RawBuffer.of(tr.g);
        RawBuffer zB = RawBuffer.of(z);
        RawBuffer hPrevB = RawBuffer.of(hPrev);
        Strided3 outS = Strided3.of(out);
        boolean tanhInLoop = LoopActivations.isTanh(fn);
        CpuBlas.Product recurrent = CpuBlas.product(hPrev, false, rw, false, z);
        for (int t = 0; t < steps; t++) {
            recurrent.run(0.0);
            SimpleRnnKernels.preActivation(mb, h, t, g, b, zB, pre, tanhInLoop);
            if (!tanhInLoop) {
                activateInPlace(fn, z, training);
            }
            SimpleRnnKernels.newState(mb, h, t, zB, hPrevB, mask, outS, states);
        }
        return finish(out, hPrev, tracing ? tr : null);
    }

    /** The forward pass for {@link #lanes()}, as {@link LSTMLayer}'s. */
    private Forward forwardInLanes(INDArray h0, boolean tracing, ArrayType keep, INDArray rw, float[] b, RnnTrace tr,
            LayerWorkspaceMgr mgr) {
        int h = (int) layerConf().getNOut();
        int mb = tr.mb;
        int steps = tr.steps;
        INDArray out = outputArray(mgr, mb, h, steps);
        float[] hAll = new float[mb * h];
        if (h0 != null) {
            FloatLanes.readState(h0, mb, h, hAll);
        }
        LanesSteps.Stepped[] trace = null;
        if (tracing) {
            tr.states = mgr.createUninitialized(keep, dataType, new long[] {(long) (steps + 1) * mb, h}, 'c');
            trace = new LanesSteps.Stepped[] {LanesSteps.Stepped.of(tr.states, 1)};
            trace[0].buffer().put(0, hAll);
        }
        LanesSteps.Forward[] passes = LanesSteps.Forward.of(rw, h, out, mb, h, buffers());
        LanesSteps.forward(passes, steps, h, FloatLanes.view(tr.g), tr.mask(), new float[][] {hAll}, trace,
                r -> new LanesSteps.ForwardPart((m, t) -> SimpleRnnLanes.step(r.z, r.g, b, r.state[0], r.y, m, t, r.rows,
                        h), r.state[0]));
        INDArray hLast = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'c');
        FloatLanes.writeState(hLast, mb, h, hAll);
        return finish(out, hLast, tracing ? tr : null);
    }

    /**
     * The backprop for {@link #lanes()}: {@link SimpleRnnLanes#backward} on a step's rows at a time, each
     * part of the minibatch over the whole time loop; bias gradients added in part order.
     */
    private Pair<Gradient, INDArray> backpropInLanes(INDArray epsilon, int end, INDArray w, INDArray rw, RnnTrace tr,
            LayerWorkspaceMgr mgr) {
        int mb = tr.mb;
        int steps = tr.steps;
        int h = (int) layerConf().getNOut();
        LanesSteps.Backward[] passes = LanesSteps.Backward.of(epsilon(epsilon, mb, steps), rw, h, mb, h, dataType,
                mgr);
        INDArray dG = tr.g; // the input projection is no longer needed: its gradient takes its place
        double[][] db = LanesSteps.backward(passes, steps, end, tr.mask(),
                new LanesSteps.Stepped[] {LanesSteps.Stepped.of(tr.states, 1)},
                new LanesSteps.Stepped[] {LanesSteps.Stepped.of(dG, 0)}, 0, new int[] {h},
                r -> (eps, m, t) -> SimpleRnnLanes.backward(r.in[0], eps, r.dh, r.out[0], r.db[0], m, t, r.rows, h));
        writeVector(db[0], gradientViews.get(BIAS_KEY));
        return weightAndInputGradients(tr.x, dG, tr.states, dG, w, mb, steps, end, WEIGHT_KEY, RECURRENT_WEIGHT_KEY,
                mgr);
    }

    @Override
    Pair<Gradient, INDArray> backprop(INDArray epsilon, int backLength, Trace trace, LayerWorkspaceMgr mgr) {
        RnnTrace tr = (RnnTrace) trace;
        int end = backLength > 0 ? Math.max(0, tr.steps - backLength) : 0;
        INDArray w = getParamWithNoise(WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(RECURRENT_WEIGHT_KEY, true, mgr);
        if (lanes()) {
            return backpropInLanes(epsilon, end, w, rw, tr, mgr);
        }
        int mb = tr.mb;
        int steps = tr.steps;
        int h = (int) layerConf().getNOut();
        Strided3 eps = Strided3.of(epsilon(epsilon, mb, steps));
        RawBuffer dPre = tr.pre == null ? null : RawBuffer.of(derivative(layerConf().getActivationFn(), tr.pre));

        INDArray dh = mgr.create(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        INDArray dzStep = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'f');
        INDArray dG = tr.g; // the input projection is no longer needed: its gradient takes its place
        double[] db = new double[h];
        double[] mask = tr.mask();
        RawBuffer dhB = RawBuffer.of(dh);
        RawBuffer dzB = RawBuffer.of(dzStep);
        RawBuffer dGB = RawBuffer.of(dG);
        RawBuffer states = RawBuffer.of(tr.states);
        CpuBlas.Product back = CpuBlas.product(dzStep, false, rw, true, dh);
        for (int t = steps - 1; t >= end; t--) {
            SimpleRnnKernels.backwardStep(mb, h, t, eps, mask, dhB, states, dPre, dGB, dzB, db);
            if (t > end) {
                back.run(1.0);
            }
        }
        writeVector(db, gradientViews.get(BIAS_KEY));
        return weightAndInputGradients(tr.x, dG, tr.states, dG, w, mb, steps, end, WEIGHT_KEY, RECURRENT_WEIGHT_KEY,
                mgr);
    }

    private static final class RnnTrace extends Trace {
        INDArray states;
        INDArray pre;

        RnnTrace(INDArray input, INDArray maskArray, Projection projection) {
            super(input, maskArray, projection);
        }

        @Override
        INDArray[] arrays() {
            return new INDArray[] {x, g, states};
        }
    }
}
