package io.rnnkit.nn.layers;

/**
 * The simple RNN's elementwise arithmetic, one fused Java loop per stage of a time step (see
 * {@link SimpleRnnLayer} for the equations). Matrix products and activation functions other than
 * tanh stay in ND4J; everything between them is here, on preallocated arrays, without allocation.
 * The FLOAT SIMD counterpart is {@link SimpleRnnLanes}.
 *
 * <p>Layouts: arrays over all steps are 'c', row {@code t*mb + i} being example i at step t:
 * {@code g} [T*mb, H] input projection X·W (later overwritten by its gradient), {@code states}
 * [(T+1)*mb, H] the state entering each step and the last one, {@code pre} [T*mb, H] the
 * pre-activations when the activation is not tanh. Per-step buffers are 'f' (element (i, k) at
 * i + mb*k): {@code z} [mb, H] recurrent product, then activation; {@code hPrev} [mb, H] the carried
 * state; in backprop {@code dh} and {@code dz} [mb, H].
 */
final class SimpleRnnKernels {

    private SimpleRnnKernels() {
    }

    /**
     * z ← g[t] + z + b (z holding h_{t-1}·RW), or its tanh with {@code tanh}; the pre-activation also
     * to {@code pre} when kept.
     */
    static void preActivation(int mb, int h, int t, RawBuffer g, double[] b, RawBuffer z, RawBuffer pre,
            boolean tanh) {
        for (int i = 0; i < mb; i++) {
            int row = (t * mb + i) * h;
            for (int k = 0; k < h; k++) {
                int ik = i + mb * k;
                double v = g.get(row + k) + z.get(ik) + b[k];
                z.set(ik, tanh ? LoopActivations.tanh(v) : v);
                if (pre != null) {
                    pre.set(row + k, v);
                }
            }
        }
    }

    /** Output m·h_t, state carried on m·h_t + (1 − m)·h_{t-1} (to hPrev and, when tracing, the trace). */
    static void newState(int mb, int h, int t, RawBuffer act, RawBuffer hPrev, double[] mask, Strided3 out,
            RawBuffer states) {
        for (int i = 0; i < mb; i++) {
            double m = mask == null ? 1.0 : mask[t * mb + i];
            int next = (t * mb + mb + i) * h;
            for (int k = 0; k < h; k++) {
                int ik = i + mb * k;
                double hv = act.get(ik);
                double state = m * hv + (1.0 - m) * hPrev.get(ik);
                hPrev.set(ik, state);
                out.set(i, k, t, m * hv);
                if (states != null) {
                    states.set(next + k, state);
                }
            }
        }
    }

    /**
     * One step of backprop through time: dz_t = m·(ε_t + δ) ⊙ f'(z_t) into the step's rows of
     * {@code dG} and into {@code dz} (for the recurrent product), its column sums into {@code db}, and
     * the carried δ reduced to its direct part (1 − m)·δ (the caller adds dz·RWᵀ). f' comes from the
     * state (tanh) unless {@code dPre} holds f'(pre-activation).
     */
    static void backwardStep(int mb, int h, int t, Strided3 eps, double[] mask, RawBuffer dhB, RawBuffer states,
            RawBuffer dPre, RawBuffer dGB, RawBuffer dzB, double[] db) {
        for (int i = 0; i < mb; i++) {
            double m = mask == null ? 1.0 : mask[t * mb + i];
            int row = (t * mb + i) * h;
            int next = row + mb * h;
            for (int k = 0; k < h; k++) {
                int ik = i + mb * k;
                double carried = dhB.get(ik);
                double d = m * (eps.get(i, k, t) + carried);
                double a = states.get(next + k); // h_t wherever m = 1, and d = 0 elsewhere
                double dz = d * (dPre == null ? 1.0 - a * a : dPre.get(row + k));
                dGB.set(row + k, dz);
                dzB.set(ik, dz);
                dhB.set(ik, (1.0 - m) * carried);
                db[k] += dz;
            }
        }
    }
}
