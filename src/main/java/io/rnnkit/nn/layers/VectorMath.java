package io.rnnkit.nn.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the cells' SIMD kernels ({@link LstmLanes}, {@link GruLanes}, {@link SimpleRnnLanes}) share:
 * the lane width, tanh and the logistic function, and two array updates. Loaded only when
 * {@link FloatLanes#AVAILABLE}.
 *
 * <p><b>Why not the Vector API's own EXP and TANH.</b> Their results depend on the JIT: the JDK computes
 * them lane by lane in Java until C2 compiles the loop, then with Intel's SVML, and the two differ in the
 * last bit. A training run then depends on when the compiler kicked in: measured, the quickstart with one
 * seed gave test accuracy 0.81, 0.98 and 1.00 in three runs. {@link #tanh} is a rational function of
 * additions, multiplications and one division, each rounded exactly by IEEE 754 in every tier, so the
 * same seed gives the same network. (An exp built from the exponent bits was tried too: on Java 17 C2
 * does not compile the Vector API's float/int reinterpretation in these kernels, and it ran 40 % slower.)
 */
final class VectorMath {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * Numerator (odd powers 1…13) and denominator (even powers 0…6) of Eigen's float tanh approximation
     * ({@code generic_fast_tanh_float}); with the argument clamped to ±9 it is within 2.6e-8 of tanh
     * in exact arithmetic, and within 4.11e-7 evaluated in float (at x = 5.827876, about seven float steps
     * below 1; every float input swept by VectorMathSweep).
     */
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    private VectorMath() {
    }

    /** tanh(x) = x·P(x²) / Q(x²) for |x| ≤ 9, ±tanh(9) beyond. */
    static FloatVector tanh(FloatVector v) {
        FloatVector x = v.max(-9f).min(9f);
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.mul(A13).add(A11).mul(x2).add(A9).mul(x2).add(A7).mul(x2).add(A5).mul(x2).add(A3)
                .mul(x2).add(A1).mul(x);
        FloatVector q = x2.mul(B6).add(B4).mul(x2).add(B2).mul(x2).add(B0);
        return p.div(q);
    }

    /** σ(x) = (1 + tanh(x/2)) / 2. */
    static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).mul(0.5f).add(0.5f);
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

    // The scalar twins of the lane functions, for the elements past the last whole vector of a row: the same
    // float operations in the same order (Java never fuses a·b + c), so an element gets the same bits whether a
    // lane or a tail loop computes it, and a run does not depend on the CPU's vector width.

    /** {@link #tanh(FloatVector)} of one value. */
    static float tanh(float v) {
        float x = Math.min(Math.max(v, -9f), 9f);
        float x2 = x * x;
        float p = ((((((x2 * A13 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2 + A1) * x;
        float q = ((x2 * B6 + B4) * x2 + B2) * x2 + B0;
        return p / q;
    }

    /** {@link #sigmoid(FloatVector)} of one value. */
    static float sigmoid(float x) {
        return tanh(x * 0.5f) * 0.5f + 0.5f;
    }

    /** {@link #sigmoidSlope(FloatVector)} of one value. */
    static float sigmoidSlope(float x) {
        return x * (-x + 1f);
    }

    /** {@link #tanhSlope(FloatVector)} of one value. */
    static float tanhSlope(float x) {
        return -(x * x) + 1f;
    }

    /** dst[0, n) += src[0, n). */
    static void addInto(float[] dst, float[] src, int n) {
        addInto(dst, 0, src, 0, n);
    }

    /** dst[to, to + n) += src[from, from + n). */
    static void addInto(float[] dst, int to, float[] src, int from, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += S.length()) {
            FloatVector.fromArray(S, dst, to + j).add(FloatVector.fromArray(S, src, from + j)).intoArray(dst, to + j);
        }
        for (; j < n; j++) {
            dst[to + j] += src[from + j];
        }
    }
}
