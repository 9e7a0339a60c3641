package io.rnnkit.nn.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the cells' SIMD kernels ({@link LstmLanes}, {@link GruLanes}, {@link SimpleRnnLanes}) share:
 * the lane width, the logistic function and two array updates. Loaded only when
 * {@link FloatLanes#AVAILABLE}.
 */
final class VectorMath {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /** σ(x) = 1 / (1 + e^{−x}); e^{−x} overflows to +∞ for very negative x, which gives exactly 0. */
    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
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
