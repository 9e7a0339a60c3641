package io.rnnkit.nn.layers;

/**
 * The GRU's elementwise arithmetic, one fused Java loop per stage of a time step (see
 * {@link GRULayer} for the equations and array layouts). Matrix products and activation functions
 * stay in ND4J; everything between them is here, on preallocated arrays, without allocation. The
 * FLOAT SIMD counterpart is {@link GruLanes}.
 *
 * <p>Layouts (column blocks of width H). Arrays over all steps are 'c', row {@code t*mb + i} being
 * example i at step t: {@code g} [T*mb, 3H] input projection X·W (later overwritten by its
 * gradient); trace arrays kept for backprop: {@code rzn} [T*mb, 3H] activated r | z | n,
 * {@code hn} [T*mb, H] W_hn h + b_hn, {@code states} [(T+1)*mb, H] the state entering each step and
 * the last one (h_{-1} … h_{T-1} without masks). Per-step buffers are 'f' (element (i, j) at
 * i + mb*j), the order in which BLAS runs the per-step products fastest: {@code rec} [mb, 3H]
 * recurrent product h·RW; {@code rz} [mb, 2H] reset | update gates; {@code n} [mb, H] candidate;
 * {@code hPrev} [mb, H] the state carried from step to step; in backprop {@code dh} [mb, H] and
 * {@code dRStep} [mb, 3H].
 */
final class GRUKernels {

    private GRUKernels() {
    }

    /**
     * Reset and update gate pre-activations: rz = g[t] + rec + b_i + b_h over the first 2H columns;
     * with {@code sigmoid}, rz gets σ of them right away.
     */
    static void gatePreActivations(int mb, int h, RawBuffer g, int row0, RawBuffer rec, double[] bRz,
            RawBuffer rz, RawBuffer preRz, boolean sigmoid) {
        int h2 = 2 * h;
        int h3 = 3 * h;
        for (int i = 0; i < mb; i++) {
            int gi = (row0 + i) * h3;
            int pi = (row0 + i) * h2;
            for (int j = 0; j < h2; j++) {
                double v = g.get(gi + j) + rec.get(i + mb * j) + bRz[j];
                rz.set(i + mb * j, sigmoid ? LoopActivations.sigmoid(v) : v);
                if (preRz != null) {
                    preRz.set(pi + j, v);
                }
            }
        }
    }

    /**
     * Candidate pre-activation n = g_n[t] + b_in + r ⊙ (rec_n + b_hn) (with {@code tanh}, its tanh);
     * keeps rec_n + b_hn for backprop.
     */
    static void candidatePreActivations(int mb, int h, RawBuffer g, int row0, RawBuffer rec, double[] bIn,
            double[] bHn, RawBuffer rz, RawBuffer n, RawBuffer hnTrace, RawBuffer preN, boolean tanh) {
        int h2 = 2 * h;
        int h3 = 3 * h;
        for (int i = 0; i < mb; i++) {
            int gi = (row0 + i) * h3 + h2;
            int ti = (row0 + i) * h;
            for (int k = 0; k < h; k++) {
                double hn = rec.get(i + mb * (h2 + k)) + bHn[k];
                double v = g.get(gi + k) + bIn[k] + rz.get(i + mb * k) * hn;
                n.set(i + mb * k, tanh ? LoopActivations.tanh(v) : v);
                if (hnTrace != null) {
                    hnTrace.set(ti + k, hn);
                    if (preN != null) {
                        preN.set(ti + k, v);
                    }
                }
            }
        }
    }

    /**
     * New state h = (1 − z) ⊙ n + z ⊙ hPrev. With mask value m for the example at step t: the output
     * at step t is m·h and the state carried on is m·h + (1 − m)·hPrev, so a masked step (m = 0)
     * outputs zeros and leaves the state as it was. The state goes to hPrev (for the next step) and,
     * when tracing, with r, z, n to the trace.
     */
    static void newState(int mb, int h, int t, RawBuffer rz, RawBuffer n, RawBuffer hPrev, double[] mask,
            Strided3 out, RawBuffer rzn, RawBuffer states) {
        int h2 = 2 * h;
        int h3 = 3 * h;
        for (int i = 0; i < mb; i++) {
            double m = mask == null ? 1.0 : mask[t * mb + i];
            int row = t * mb + i;
            for (int k = 0; k < h; k++) {
                int ik = i + mb * k;
                double z = rz.get(ik + mb * h);
                double nv = n.get(ik);
                double hp = hPrev.get(ik);
                double hv = nv + z * (hp - nv);
                double state = m * hv + (1.0 - m) * hp;
                hPrev.set(ik, state);
                out.set(i, k, t, m * hv);
                if (rzn != null) {
                    rzn.set(row * h3 + k, rz.get(ik));
                    rzn.set(row * h3 + h + k, z);
                    rzn.set(row * h3 + h2 + k, nv);
                    states.set((row + mb) * h + k, state);
                }
            }
        }
    }

    /**
     * One step of backprop through time. In: {@code dh} = dL/d(state after step t) arriving from step
     * t+1 (zeros at the last step), {@code eps} = dL/d(output at step t) from the layer above. With
     * d = m·(eps + dh) the gradient reaching the cell, the gate gradients of step t (pre-activation)
     * go into {@code dG} (r | z | n, for W, b and the input gradient) and into {@code dR} and
     * {@code dRStep} (r | z | r ⊙ dn, for RW, rb and the recurrent product), their column sums into
     * {@code dbI}/{@code dbH}, and the direct part z ⊙ d + (1 − m)·dh of dL/d(state before step t)
     * into {@code dh}; the caller adds dRStep·RWᵀ to it. A masked step thus passes the state's
     * gradient through untouched and contributes nothing else. Activation derivatives come from the
     * activated values (sigmoid, tanh) unless {@code dRz}/{@code dN} hold f'(pre-activation) for
     * other activation functions.
     */
    static void backwardStep(int mb, int h, int t, Strided3 eps, double[] mask, RawBuffer dh, RawBuffer rzn,
            RawBuffer hnTrace, RawBuffer states, RawBuffer dRz, RawBuffer dN, RawBuffer dG, RawBuffer dR,
            RawBuffer dRStep, double[] dbI, double[] dbH) {
        int h2 = 2 * h;
        int h3 = 3 * h;
        for (int i = 0; i < mb; i++) {
            double m = mask == null ? 1.0 : mask[t * mb + i];
            int row = t * mb + i;
            int a = row * h3;
            for (int k = 0; k < h; k++) {
                int ik = i + mb * k;
                double carried = dh.get(ik);
                double d = m * (eps.get(i, k, t) + carried);
                double r = rzn.get(a + k);
                double z = rzn.get(a + h + k);
                double n = rzn.get(a + h2 + k);
                double hn = hnTrace.get(row * h + k);
                double hp = states.get(row * h + k);
                dh.set(ik, d * z + (1.0 - m) * carried);
                double dn = d * (1.0 - z) * (dN == null ? 1.0 - n * n : dN.get(row * h + k));
                double dz = d * (hp - n) * (dRz == null ? z * (1.0 - z) : dRz.get(row * h2 + h + k));
                double dr = dn * hn * (dRz == null ? r * (1.0 - r) : dRz.get(row * h2 + k));
                double dhn = dn * r;
                dG.set(a + k, dr);
                dG.set(a + h + k, dz);
                dG.set(a + h2 + k, dn);
                dR.set(a + k, dr);
                dR.set(a + h + k, dz);
                dR.set(a + h2 + k, dhn);
                dRStep.set(ik, dr);
                dRStep.set(ik + mb * h, dz);
                dRStep.set(ik + mb * h2, dhn);
                dbI[k] += dr;
                dbI[h + k] += dz;
                dbI[h2 + k] += dn;
                dbH[h2 + k] += dhn;
            }
        }
    }
}
