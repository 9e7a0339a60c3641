package io.rnnkit.nn.layers;

/**
 * The LSTM's elementwise arithmetic, one fused Java loop per stage of a time step (see
 * {@link LSTMLayer} for the equations). Matrix products and activation functions other than
 * tanh/sigmoid stay in ND4J; everything between them is here, on preallocated arrays, without
 * allocation. The FLOAT SIMD counterpart is {@link LstmLanes}.
 *
 * <p>Layouts (column blocks g | f | o | i of width H). Arrays over all steps are 'c', row
 * {@code t*mb + i} being example i at step t: {@code g} [T*mb, 4H] input projection X·W (later
 * overwritten by its gradient); trace arrays kept for backprop: {@code acts} [T*mb, 4H] activated
 * gates, {@code phiCs} [T*mb, H] φ(c_t), {@code hs} and {@code cs} [(T+1)*mb, H] the states entering
 * each step and the last one. Per-step buffers are 'f' (element (i, j) at i + mb*j): {@code z}
 * [mb, 4H] recurrent product, then pre-activations, then activations; {@code hc} [mb, 2H] the h | c
 * carried from step to step; in backprop {@code dhc} [mb, 2H] and {@code dz} [mb, 4H].
 */
final class LSTMKernels {

    private LSTMKernels() {
    }

    /**
     * z ← g[t] + z + b over all 4H columns (z holding h_{t-1}·RW); to {@code pre} too when kept. With
     * {@code activate}, z gets tanh of the g block and σ of f | o | i right away.
     */
    static void preActivations(int mb, int h, int t, RawBuffer g, double[] b, RawBuffer z,
            RawBuffer pre, boolean activate) {
        int width = 4 * h;
        for (int i = 0; i < mb; i++) {
            int row = (t * mb + i) * width;
            for (int j = 0; j < width; j++) {
                int ij = i + mb * j;
                double v = g.get(row + j) + z.get(ij) + b[j];
                if (pre != null) {
                    pre.set(row + j, v);
                }
                if (activate) {
                    v = j < h ? LoopActivations.tanh(v) : LoopActivations.sigmoid(v);
                }
                z.set(ij, v);
            }
        }
    }

    /** New cell f⊙c_{t-1} + i⊙g into {@code cNew}: φ is applied to it next, or here with {@code activate} (tanh). */
    static void cell(int mb, int h, RawBuffer z, RawBuffer hc, RawBuffer cNew, boolean activate) {
        int n = mb * h;
        for (int ik = 0; ik < n; ik++) {
            double gv = z.get(ik);
            double fv = z.get(ik + n);
            double iv = z.get(ik + 3 * n);
            double c = fv * hc.get(ik + n) + iv * gv;
            cNew.set(ik, activate ? LoopActivations.tanh(c) : c);
        }
    }

    /**
     * h_t = o⊙φ(c_t); output m·h_t; carried h, c ← m·new + (1 − m)·old. {@code phiC} holds φ(c_t) on
     * entry; c_t is recomputed from the gates (the buffer holding it was activated in place).
     */
    static void newState(int mb, int h, int t, RawBuffer z, RawBuffer phiC, RawBuffer hc, double[] mask,
            Strided3 out, RawBuffer acts, RawBuffer phiCs, RawBuffer hs, RawBuffer cs) {
        int n = mb * h;
        for (int i = 0; i < mb; i++) {
            double m = mask == null ? 1.0 : mask[t * mb + i];
            int row = t * mb + i;
            for (int k = 0; k < h; k++) {
                int ik = i + mb * k;
                double gv = z.get(ik);
                double fv = z.get(ik + n);
                double ov = z.get(ik + 2 * n);
                double iv = z.get(ik + 3 * n);
                double cOld = hc.get(ik + n);
                double cNew = fv * cOld + iv * gv;
                double pc = phiC.get(ik);
                double hNew = ov * pc;
                double hState = m * hNew + (1.0 - m) * hc.get(ik);
                double cState = m * cNew + (1.0 - m) * cOld;
                hc.set(ik, hState);
                hc.set(ik + n, cState);
                out.set(i, k, t, m * hNew);
                if (acts != null) {
                    int a = row * 4 * h;
                    acts.set(a + k, gv);
                    acts.set(a + h + k, fv);
                    acts.set(a + 2 * h + k, ov);
                    acts.set(a + 3 * h + k, iv);
                    phiCs.set(row * h + k, pc);
                    hs.set((row + mb) * h + k, hState);
                    cs.set((row + mb) * h + k, cState);
                }
            }
        }
    }

    /**
     * One step of backprop through time: gate gradients (pre-activation) of step t into the step's rows
     * of {@code dG} and into {@code dz} (for the recurrent product), their column sums into {@code db},
     * and the carried gradients {@code dhc} = δh | δc updated to their direct parts (the caller adds
     * dz·RWᵀ to δh). Derivatives come from the activated values (tanh, sigmoid) unless {@code dPre} and
     * {@code dPhiC} hold f'(pre-activation) and φ'(c) for other activation functions.
     */
    static void backwardStep(int mb, int h, int t, Strided3 eps, double[] mask, RawBuffer dhcB, RawBuffer acts,
            RawBuffer phiCs, RawBuffer cs, RawBuffer dPre, RawBuffer dPhiC, RawBuffer dGB, RawBuffer dzB,
            double[] db) {
        int h4 = 4 * h;
        int n = mb * h;
        for (int i = 0; i < mb; i++) {
            double m = mask == null ? 1.0 : mask[t * mb + i];
            int row = t * mb + i;
            int a = row * h4;
            for (int k = 0; k < h; k++) {
                int ik = i + mb * k;
                double dhCarried = dhcB.get(ik);
                double dcCarried = dhcB.get(ik + n);
                double gv = acts.get(a + k);
                double fv = acts.get(a + h + k);
                double ov = acts.get(a + 2 * h + k);
                double iv = acts.get(a + 3 * h + k);
                double pc = phiCs.get(row * h + k);
                double cOld = cs.get(row * h + k);
                double dhT = m * (eps.get(i, k, t) + dhCarried);
                double dc = m * dcCarried
                        + dhT * ov * (dPhiC == null ? 1.0 - pc * pc : dPhiC.get(row * h + k));
                double dO = dhT * pc * (dPre == null ? ov * (1.0 - ov) : dPre.get(a + 2 * h + k));
                double dF = dc * cOld * (dPre == null ? fv * (1.0 - fv) : dPre.get(a + h + k));
                double dI = dc * gv * (dPre == null ? iv * (1.0 - iv) : dPre.get(a + 3 * h + k));
                double dGv = dc * iv * (dPre == null ? 1.0 - gv * gv : dPre.get(a + k));
                dGB.set(a + k, dGv);
                dGB.set(a + h + k, dF);
                dGB.set(a + 2 * h + k, dO);
                dGB.set(a + 3 * h + k, dI);
                dzB.set(ik, dGv);
                dzB.set(ik + n, dF);
                dzB.set(ik + 2 * n, dO);
                dzB.set(ik + 3 * n, dI);
                db[k] += dGv;
                db[h + k] += dF;
                db[2 * h + k] += dO;
                db[3 * h + k] += dI;
                dhcB.set(ik, (1.0 - m) * dhCarried);
                dhcB.set(ik + n, dc * fv + (1.0 - m) * dcCarried);
            }
        }
    }
}
