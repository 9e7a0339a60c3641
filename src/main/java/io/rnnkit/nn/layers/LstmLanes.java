package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.VectorMath.S;
import static io.rnnkit.nn.layers.VectorMath.sigmoid;
import static io.rnnkit.nn.layers.VectorMath.sigmoidSlope;
import static io.rnnkit.nn.layers.VectorMath.storeAndSum;
import static io.rnnkit.nn.layers.VectorMath.tanhSlope;

import jdk.incubator.vector.FloatVector;

/**
 * The elementwise part of one step of rnnkit's {@link FusedLSTM} for FLOAT networks with tanh and sigmoid,
 * on Java arrays, in SIMD lanes of the JDK's Vector API (this class is loaded only when
 * {@link FloatLanes#AVAILABLE}). The arithmetic is that of {@link LSTMLayer}'s scalar loops, in float
 * instead of double; the columns of a row that do not fill a whole vector go through the same float
 * operations one at a time ({@link VectorMath}'s scalar twins), so every element gets the same bits at any
 * vector width: a run does not depend on the CPU's SIMD width.
 *
 * <p>Layouts: gate rows [mb, 4H] in row-major order with blocks g | f | o | i of width H; state rows
 * [mb, H] row-major. {@code mask} is the layer's mask flattened as {@code [t * mb + i]}, or null.
 */
final class LstmLanes {

    private LstmLanes() {
    }

    /** z ← act(z + g + b) on every row: tanh on the g block, σ on f | o | i. */
    static void gates(float[] z, float[] g, float[] b, int mb, int h) {
        int width = 4 * h;
        for (int r = 0; r < mb; r++) {
            int row = r * width;
            activate(z, g, b, row, 0, h, true);
            activate(z, g, b, row, h, width, false);
        }
    }

    private static void activate(float[] z, float[] g, float[] b, int row, int from, int to, boolean tanh) {
        int j = from;
        for (int end = from + S.loopBound(to - from); j < end; j += S.length()) {
            FloatVector v = FloatVector.fromArray(S, z, row + j).add(FloatVector.fromArray(S, g, row + j))
                    .add(FloatVector.fromArray(S, b, j));
            (tanh ? VectorMath.tanh(v) : sigmoid(v)).intoArray(z, row + j);
        }
        for (; j < to; j++) {
            float v = z[row + j] + g[row + j] + b[j];
            z[row + j] = tanh ? VectorMath.tanh(v) : VectorMath.sigmoid(v);
        }
    }

    /**
     * c_t = f⊙c_{t−1} + i⊙g, φ(c_t) = tanh(c_t) into {@code pc}, h_t = o⊙φ(c_t) on every row; with the
     * row's mask value m the carried {@code h}, {@code c} (in: step t−1, out: step t) become
     * m·new + (1 − m)·old and the output {@code y} gets m·h_t.
     */
    static void cell(float[] z, float[] h, float[] c, float[] pc, float[] y, double[] mask, int t, int mb,
            int hidden) {
        for (int r = 0; r < mb; r++) {
            float m = mask == null ? 1f : (float) mask[t * mb + r];
            int a = r * 4 * hidden;
            int s = r * hidden;
            int k = 0;
            for (int end = S.loopBound(hidden); k < end; k += S.length()) {
                FloatVector g = FloatVector.fromArray(S, z, a + k);
                FloatVector f = FloatVector.fromArray(S, z, a + hidden + k);
                FloatVector o = FloatVector.fromArray(S, z, a + 2 * hidden + k);
                FloatVector i = FloatVector.fromArray(S, z, a + 3 * hidden + k);
                FloatVector cOld = FloatVector.fromArray(S, c, s + k);
                FloatVector cNew = f.mul(cOld).add(i.mul(g));
                FloatVector p = VectorMath.tanh(cNew);
                FloatVector hNew = o.mul(p);
                p.intoArray(pc, s + k);
                if (m == 1f) {
                    hNew.intoArray(h, s + k);
                    cNew.intoArray(c, s + k);
                    hNew.intoArray(y, s + k);
                } else {
                    FloatVector hOld = FloatVector.fromArray(S, h, s + k);
                    hNew.mul(m).add(hOld.mul(1f - m)).intoArray(h, s + k);
                    cNew.mul(m).add(cOld.mul(1f - m)).intoArray(c, s + k);
                    hNew.mul(m).intoArray(y, s + k);
                }
            }
            for (; k < hidden; k++) {
                float cOld = c[s + k];
                float cNew = z[a + hidden + k] * cOld + z[a + 3 * hidden + k] * z[a + k];
                float p = VectorMath.tanh(cNew);
                float hNew = z[a + 2 * hidden + k] * p;
                pc[s + k] = p;
                if (m == 1f) {
                    h[s + k] = hNew;
                    c[s + k] = cNew;
                    y[s + k] = hNew;
                } else {
                    h[s + k] = hNew * m + h[s + k] * (1f - m);
                    c[s + k] = cNew * m + cOld * (1f - m);
                    y[s + k] = hNew * m;
                }
            }
        }
    }

    /**
     * One step of backprop on every row, the equations of {@link LSTMLayer}: from the activated gates
     * {@code a}, φ(c_t) {@code pc}, c_{t−1} {@code cOld} and the output gradient {@code eps}, updates the
     * carried gradients {@code dh}, {@code dc}, writes the gates' pre-activation gradients into {@code dz}
     * (layout of {@code a}) and adds them, summed over the rows, to {@code db}.
     */
    static void backward(float[] a, float[] pc, float[] cOld, float[] eps, float[] dh, float[] dc, float[] dz,
            float[] db, double[] mask, int t, int mb, int hidden) {
        for (int r = 0; r < mb; r++) {
            float m = mask == null ? 1f : (float) mask[t * mb + r];
            int row = r * 4 * hidden;
            int s = r * hidden;
            int k = 0;
            for (int end = S.loopBound(hidden); k < end; k += S.length()) {
                FloatVector g = FloatVector.fromArray(S, a, row + k);
                FloatVector f = FloatVector.fromArray(S, a, row + hidden + k);
                FloatVector o = FloatVector.fromArray(S, a, row + 2 * hidden + k);
                FloatVector i = FloatVector.fromArray(S, a, row + 3 * hidden + k);
                FloatVector p = FloatVector.fromArray(S, pc, s + k);
                FloatVector c0 = FloatVector.fromArray(S, cOld, s + k);
                FloatVector dhCarried = FloatVector.fromArray(S, dh, s + k);
                FloatVector dcCarried = FloatVector.fromArray(S, dc, s + k);
                FloatVector dhT = FloatVector.fromArray(S, eps, s + k).add(dhCarried).mul(m);
                FloatVector dcT = dcCarried.mul(m).add(dhT.mul(o).mul(tanhSlope(p)));
                FloatVector dO = dhT.mul(p).mul(sigmoidSlope(o));
                FloatVector dF = dcT.mul(c0).mul(sigmoidSlope(f));
                FloatVector dI = dcT.mul(g).mul(sigmoidSlope(i));
                FloatVector dG = dcT.mul(i).mul(tanhSlope(g));
                storeAndSum(dG, dz, db, row, k);
                storeAndSum(dF, dz, db, row, hidden + k);
                storeAndSum(dO, dz, db, row, 2 * hidden + k);
                storeAndSum(dI, dz, db, row, 3 * hidden + k);
                dhCarried.mul(1f - m).intoArray(dh, s + k);
                dcT.mul(f).add(dcCarried.mul(1f - m)).intoArray(dc, s + k);
            }
            for (; k < hidden; k++) {
                float g = a[row + k];
                float f = a[row + hidden + k];
                float o = a[row + 2 * hidden + k];
                float i = a[row + 3 * hidden + k];
                float p = pc[s + k];
                float dhCarried = dh[s + k];
                float dcCarried = dc[s + k];
                float dhT = (eps[s + k] + dhCarried) * m;
                float dcT = dcCarried * m + dhT * o * VectorMath.tanhSlope(p);
                float[] d = {dcT * i * VectorMath.tanhSlope(g), dcT * cOld[s + k] * VectorMath.sigmoidSlope(f),
                    dhT * p * VectorMath.sigmoidSlope(o), dcT * g * VectorMath.sigmoidSlope(i)};
                for (int gate = 0; gate < 4; gate++) {
                    dz[row + gate * hidden + k] = d[gate];
                    db[gate * hidden + k] += d[gate];
                }
                dh[s + k] = dhCarried * (1f - m);
                dc[s + k] = dcT * f + dcCarried * (1f - m);
            }
        }
    }
}
