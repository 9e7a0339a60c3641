package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.VectorMath.S;
import static io.rnnkit.nn.layers.VectorMath.sigmoid;
import static io.rnnkit.nn.layers.VectorMath.sigmoidSlope;
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

    /**
     * z ← act(z + g + b) on every row: tanh on the g block, σ on f | o | i. The two blocks are two methods, each
     * with one lane loop and no choice inside: in one method choosing between them by a flag, the σ loop ran as
     * boxed Java code under some compile orders (seen with JFR on), and split, single-sequence inference (which
     * runs this per step) took 11–17 % less CPU (docs/benchmarks.md, "Session 9").
     */
    static void gates(float[] z, float[] g, float[] b, int mb, int h) {
        int width = 4 * h;
        for (int r = 0; r < mb; r++) {
            int row = r * width;
            tanhBlock(z, g, b, row, h);
            sigmoidBlock(z, g, b, row, h, width);
        }
    }

    /** z ← tanh(z + g + b) on columns [0, h) of the row at {@code row}. */
    private static void tanhBlock(float[] z, float[] g, float[] b, int row, int h) {
        int j = 0;
        for (int end = S.loopBound(h); j < end; j += S.length()) {
            VectorMath.tanh(FloatVector.fromArray(S, z, row + j).add(FloatVector.fromArray(S, g, row + j))
                    .add(FloatVector.fromArray(S, b, j))).intoArray(z, row + j);
        }
        activateTail(z, g, b, row, j, h, true);
    }

    /** z ← σ(z + g + b) on columns [from, to) of the row at {@code row}. */
    private static void sigmoidBlock(float[] z, float[] g, float[] b, int row, int from, int to) {
        int j = from;
        for (int end = from + S.loopBound(to - from); j < end; j += S.length()) {
            sigmoid(FloatVector.fromArray(S, z, row + j).add(FloatVector.fromArray(S, g, row + j))
                    .add(FloatVector.fromArray(S, b, j))).intoArray(z, row + j);
        }
        activateTail(z, g, b, row, j, to, false);
    }

    /** The columns [from, to) past the last whole vector, one at a time (the lanes' float operations). */
    private static void activateTail(float[] z, float[] g, float[] b, int row, int from, int to, boolean tanh) {
        for (int j = from; j < to; j++) {
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
     * (layout of {@code a}) and adds them, summed over the rows, to {@code db} (row after row, each row's sums
     * after its lane loop).
     */
    static void backward(float[] a, float[] pc, float[] cOld, float[] eps, float[] dh, float[] dc, float[] dz,
            float[] db, double[] mask, int t, int mb, int hidden) {
        float[] dcNow = new float[hidden];
        int lanes = S.loopBound(hidden);
        for (int r = 0; r < mb; r++) {
            float m = mask == null ? 1f : (float) mask[t * mb + r];
            int row = r * 4 * hidden;
            int s = r * hidden;
            // two lane loops, split where the output side ends (dh, dc at step t, do), each small enough for C2 to
            // inline all its Vector API calls: as one loop it passed NodeCountInliningCutoff and, depending on the
            // order the JIT compiled things in, some products ran as boxed Java code (6–23 MB of garbage per fit of
            // the m2o benchmark)
            outputSide(a, pc, eps, dh, dc, dz, dcNow, m, row, s, lanes, hidden);
            inputSide(a, cOld, dc, dz, dcNow, m, row, s, lanes, hidden);
            backwardTail(a, pc, cOld, eps, dh, dc, dz, m, row, s, lanes, hidden);
            // the bias sums after the row's gradients: each sum gets the rows in the same order as before
            VectorMath.addInto(db, 0, dz, row, 4 * hidden);
        }
    }

    /**
     * The first {@code lanes} columns of one row: dh_t = m·(ε + δh), dc_t into {@code dcNow}, do into {@code dz};
     * the carried dh becomes (1 − m)·δh.
     */
    private static void outputSide(float[] a, float[] pc, float[] eps, float[] dh, float[] dc, float[] dz,
            float[] dcNow, float m, int row, int s, int lanes, int hidden) {
        for (int k = 0; k < lanes; k += S.length()) {
            FloatVector o = FloatVector.fromArray(S, a, row + 2 * hidden + k);
            FloatVector p = FloatVector.fromArray(S, pc, s + k);
            FloatVector dhCarried = FloatVector.fromArray(S, dh, s + k);
            FloatVector dcCarried = FloatVector.fromArray(S, dc, s + k);
            FloatVector dhT = FloatVector.fromArray(S, eps, s + k).add(dhCarried).mul(m);
            dcCarried.mul(m).add(dhT.mul(o).mul(tanhSlope(p))).intoArray(dcNow, k);
            dhT.mul(p).mul(sigmoidSlope(o)).intoArray(dz, row + 2 * hidden + k);
            dhCarried.mul(1f - m).intoArray(dh, s + k);
        }
    }

    /** The first {@code lanes} columns of one row, from dc_t ({@code dcNow}): dg, df, di into {@code dz}, and δc. */
    private static void inputSide(float[] a, float[] cOld, float[] dc, float[] dz, float[] dcNow, float m, int row,
            int s, int lanes, int hidden) {
        for (int k = 0; k < lanes; k += S.length()) {
            FloatVector g = FloatVector.fromArray(S, a, row + k);
            FloatVector f = FloatVector.fromArray(S, a, row + hidden + k);
            FloatVector i = FloatVector.fromArray(S, a, row + 3 * hidden + k);
            FloatVector dcT = FloatVector.fromArray(S, dcNow, k);
            dcT.mul(i).mul(tanhSlope(g)).intoArray(dz, row + k);
            dcT.mul(FloatVector.fromArray(S, cOld, s + k)).mul(sigmoidSlope(f)).intoArray(dz, row + hidden + k);
            dcT.mul(g).mul(sigmoidSlope(i)).intoArray(dz, row + 3 * hidden + k);
            dcT.mul(f).add(FloatVector.fromArray(S, dc, s + k).mul(1f - m)).intoArray(dc, s + k);
        }
    }

    /**
     * {@link #backward}'s columns [from, hidden) of one row past the last whole vector, one at a time (kept out of
     * the lane loop's method, which is at the edge of what C2 inlines).
     */
    private static void backwardTail(float[] a, float[] pc, float[] cOld, float[] eps, float[] dh, float[] dc,
            float[] dz, float m, int row, int s, int from, int hidden) {
        for (int k = from; k < hidden; k++) {
            float g = a[row + k];
            float f = a[row + hidden + k];
            float o = a[row + 2 * hidden + k];
            float i = a[row + 3 * hidden + k];
            float p = pc[s + k];
            float dhCarried = dh[s + k];
            float dcCarried = dc[s + k];
            float dhT = (eps[s + k] + dhCarried) * m;
            float dcT = dcCarried * m + dhT * o * VectorMath.tanhSlope(p);
            dz[row + k] = dcT * i * VectorMath.tanhSlope(g);
            dz[row + hidden + k] = dcT * cOld[s + k] * VectorMath.sigmoidSlope(f);
            dz[row + 2 * hidden + k] = dhT * p * VectorMath.sigmoidSlope(o);
            dz[row + 3 * hidden + k] = dcT * g * VectorMath.sigmoidSlope(i);
            dh[s + k] = dhCarried * (1f - m);
            dc[s + k] = dcT * f + dcCarried * (1f - m);
        }
    }
}
