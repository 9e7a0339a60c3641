package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.VectorMath.S;
import static io.rnnkit.nn.layers.VectorMath.sigmoid;
import static io.rnnkit.nn.layers.VectorMath.sigmoidSlope;
import static io.rnnkit.nn.layers.VectorMath.storeAndSum;
import static io.rnnkit.nn.layers.VectorMath.tanhSlope;

import jdk.incubator.vector.FloatVector;

/**
 * The elementwise part of one step of rnnkit's {@link FusedGRU} for FLOAT networks with sigmoid gates and a
 * tanh candidate, in SIMD lanes ({@link LstmLanes} explains the conventions; equations in
 * {@link GRULayer}, the same arithmetic as {@link GRUKernels} in float). Row layouts: {@code g},
 * {@code rec}, {@code rzn} [mb, 3H] with blocks r | z | n; {@code hn}, states [mb, H].
 */
final class GruLanes {

    private GruLanes() {
    }

    /**
     * r, z = σ(g + rec + b_i + b_h) and n = tanh(g_n + b_in + r ⊙ hn) with hn = rec_n + b_hn into
     * {@code rzn} and {@code hn}; h_t = n + z ⊙ (h_{t−1} − n); the carried {@code h} becomes
     * m·h_t + (1 − m)·h_{t−1} and the output {@code y} m·h_t.
     */
    static void step(float[] g, float[] rec, float[] bRz, float[] bIn, float[] bHn, float[] rzn, float[] hn,
            float[] h, float[] y, double[] mask, int t, int mb, int hidden) {
        for (int r = 0; r < mb; r++) {
            float m = mask == null ? 1f : (float) mask[t * mb + r];
            gates(g, rec, bRz, rzn, r * 3 * hidden, 2 * hidden);
            candidateAndState(g, rec, bIn, bHn, rzn, hn, h, y, m, r, hidden);
        }
    }

    /** r | z = σ(g + rec + b) over the first {@code width} columns of the row at {@code row}. */
    private static void gates(float[] g, float[] rec, float[] bRz, float[] rzn, int row, int width) {
        int j = 0;
        for (int end = S.loopBound(width); j < end; j += S.length()) {
            sigmoid(FloatVector.fromArray(S, g, row + j).add(FloatVector.fromArray(S, rec, row + j))
                    .add(FloatVector.fromArray(S, bRz, j))).intoArray(rzn, row + j);
        }
        for (; j < width; j++) {
            rzn[row + j] = VectorMath.sigmoid(g[row + j] + rec[row + j] + bRz[j]);
        }
    }

    /**
     * n, hn and the new state of row r (kept apart from {@link #gates}: one method holding both loops is
     * too large for C2 to inline the Vector API calls, which then run as boxed Java code).
     */
    private static void candidateAndState(float[] g, float[] rec, float[] bIn, float[] bHn, float[] rzn,
            float[] hn, float[] h, float[] y, float m, int r, int hidden) {
        int h2 = 2 * hidden;
        int row = r * 3 * hidden;
        int s = r * hidden;
        int k = 0;
        for (int end = S.loopBound(hidden); k < end; k += S.length()) {
            FloatVector hnv = FloatVector.fromArray(S, rec, row + h2 + k).add(FloatVector.fromArray(S, bHn, k));
            FloatVector n = VectorMath.tanh(FloatVector.fromArray(S, g, row + h2 + k)
                    .add(FloatVector.fromArray(S, bIn, k)).add(FloatVector.fromArray(S, rzn, row + k).mul(hnv)));
            FloatVector z = FloatVector.fromArray(S, rzn, row + hidden + k);
            FloatVector hp = FloatVector.fromArray(S, h, s + k);
            FloatVector hv = n.add(z.mul(hp.sub(n)));
            n.intoArray(rzn, row + h2 + k);
            hnv.intoArray(hn, s + k);
            if (m == 1f) {
                hv.intoArray(h, s + k);
                hv.intoArray(y, s + k);
            } else {
                hv.mul(m).add(hp.mul(1f - m)).intoArray(h, s + k);
                hv.mul(m).intoArray(y, s + k);
            }
        }
        for (; k < hidden; k++) {
            float hnv = rec[row + h2 + k] + bHn[k];
            float n = VectorMath.tanh(g[row + h2 + k] + bIn[k] + rzn[row + k] * hnv);
            float hp = h[s + k];
            float hv = n + rzn[row + hidden + k] * (hp - n);
            rzn[row + h2 + k] = n;
            hn[s + k] = hnv;
            if (m == 1f) {
                h[s + k] = hv;
                y[s + k] = hv;
            } else {
                h[s + k] = hv * m + hp * (1f - m);
                y[s + k] = hv * m;
            }
        }
    }

    /**
     * One step of backprop ({@link GRUKernels#backwardStep}'s equations): from r | z | n {@code rzn},
     * {@code hn}, the states entering the step {@code hPrev} and the output gradient {@code eps}, writes
     * dr | dz | dn into {@code dG} (for W, b_i and the input gradient) and dr | dz | r ⊙ dn into
     * {@code dR} (for RW, b_h and the recurrent product), sums them into {@code dbI} and the last block
     * of {@code dR} into {@code dbHn}; the carried {@code dh} keeps z ⊙ d + (1 − m)·δh.
     */
    static void backward(float[] rzn, float[] hn, float[] hPrev, float[] eps, float[] dh, float[] dG, float[] dR,
            float[] dbI, float[] dbHn, double[] mask, int t, int mb, int hidden) {
        int h2 = 2 * hidden;
        for (int r = 0; r < mb; r++) {
            float m = mask == null ? 1f : (float) mask[t * mb + r];
            int row = r * 3 * hidden;
            int s = r * hidden;
            int k = 0;
            for (int end = S.loopBound(hidden); k < end; k += S.length()) {
                FloatVector carried = FloatVector.fromArray(S, dh, s + k);
                FloatVector d = FloatVector.fromArray(S, eps, s + k).add(carried).mul(m);
                FloatVector rv = FloatVector.fromArray(S, rzn, row + k);
                FloatVector z = FloatVector.fromArray(S, rzn, row + hidden + k);
                FloatVector n = FloatVector.fromArray(S, rzn, row + h2 + k);
                FloatVector dn = d.mul(z.neg().add(1f)).mul(tanhSlope(n));
                FloatVector dz = d.mul(FloatVector.fromArray(S, hPrev, s + k).sub(n)).mul(sigmoidSlope(z));
                FloatVector dr = dn.mul(FloatVector.fromArray(S, hn, s + k)).mul(sigmoidSlope(rv));
                FloatVector dhn = dn.mul(rv);
                d.mul(z).add(carried.mul(1f - m)).intoArray(dh, s + k);
                storeAndSum(dr, dG, dbI, row, k);
                storeAndSum(dz, dG, dbI, row, hidden + k);
                storeAndSum(dn, dG, dbI, row, h2 + k);
                dr.intoArray(dR, row + k);
                dz.intoArray(dR, row + hidden + k);
                storeAndSum(dhn, dR, dbHn, row + h2, k);
            }
            for (; k < hidden; k++) {
                float carried = dh[s + k];
                float d = (eps[s + k] + carried) * m;
                float rv = rzn[row + k];
                float z = rzn[row + hidden + k];
                float n = rzn[row + h2 + k];
                float dn = d * (-z + 1f) * VectorMath.tanhSlope(n);
                float dz = d * (hPrev[s + k] - n) * VectorMath.sigmoidSlope(z);
                float dr = dn * hn[s + k] * VectorMath.sigmoidSlope(rv);
                float dhn = dn * rv;
                dh[s + k] = d * z + carried * (1f - m);
                dG[row + k] = dr;
                dG[row + hidden + k] = dz;
                dG[row + h2 + k] = dn;
                dR[row + k] = dr;
                dR[row + hidden + k] = dz;
                dR[row + h2 + k] = dhn;
                dbI[k] += dr;
                dbI[hidden + k] += dz;
                dbI[h2 + k] += dn;
                dbHn[k] += dhn;
            }
        }
    }
}
