package io.rnnkit.nn.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the cells' SIMD kernels ({@link LstmLanes}, {@link GruLanes}, {@link SimpleRnnLanes}) share:
 * the lane width, exp, the logistic function and tanh, and two array updates. Loaded only when
 * {@link FloatLanes#AVAILABLE}.
 *
 * <p><b>Why not the Vector API's own EXP and TANH.</b> Their results depend on the JIT: the JDK computes
 * them lane by lane in Java until C2 compiles the loop, then with Intel's SVML, and the two differ in the
 * last bit. A training run would then depend on when the compiler kicked in: measured, the quickstart with
 * one seed gave test accuracy 0.81, 0.98 and 1.00 in three runs. {@link #exp} uses only additions,
 * multiplications, a division-free polynomial and exact bit operations, which every tier computes
 * identically (IEEE 754 rounds each of them exactly), so the same seed gives the same network.
 */
final class VectorMath {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts (Cody and Waite), so n·ln 2 is subtracted without rounding for |n| ≤ 128. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²² to the nearest integer. */
    private static final float ROUND = 12582912f;

    /**
     * e^x in float, within 2 units in the last place (Cephes' expf): x = n·ln 2 + r with |r| ≤ ln 2 / 2,
     * e^r from a degree-7 polynomial, 2^n put into the exponent bits. x is clamped to [−87.3, 88.7]: below,
     * the result is 2^-126 (tiny, not 0); above, +∞.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(-87.33654f).min(88.72284f);
        FloatVector n = v.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = v.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f).mul(r).add(8.3334519073e-3f).mul(r)
                .add(4.1665795894e-2f).mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f).mul(r.mul(r))
                .add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** σ(x) = 1 / (1 + e^{−x}). */
    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    /** tanh(x) = sign(x)·(1 − e^{−2|x|}) / (1 + e^{−2|x|}), as {@link LoopActivations#tanh}. */
    static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.abs().mul(-2f));
        FloatVector t = e.neg().add(1f).div(e.add(1f));
        return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f));
    }

    /** x ⊙ (1 − x): σ' from σ's output. */
    static FloatVector sigmoidSlope(FloatVector x) {
        return x.mul(x.neg().add(1f));
    }

    /** 1 − x²: tanh' from tanh's output. */
    static FloatVector tanhSlope(FloatVector x) {
        return x.mul(x).neg().add(1f);
    }

    /** d into {@code dz[row + col…]} and added to the column sums {@code db[col…]}. */
    static void storeAndSum(FloatVector d, float[] dz, float[] db, int row, int col) {
        d.intoArray(dz, row + col);
        FloatVector.fromArray(S, db, col).add(d).intoArray(db, col);
    }

    /** dst[0, n) += src[0, n). */
    static void addInto(float[] dst, float[] src, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += S.length()) {
            FloatVector.fromArray(S, dst, j).add(FloatVector.fromArray(S, src, j)).intoArray(dst, j);
        }
        for (; j < n; j++) {
            dst[j] += src[j];
        }
    }
}
