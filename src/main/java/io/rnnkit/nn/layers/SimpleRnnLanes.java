package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.VectorMath.S;
import static io.rnnkit.nn.layers.VectorMath.tanhSlope;

import jdk.incubator.vector.FloatVector;

/**
 * The elementwise part of one step of rnnkit's {@link FusedSimpleRnn} for FLOAT networks with tanh, in SIMD
 * lanes ({@link LstmLanes} explains the conventions): h_t = tanh(x_t·W + h_{t−1}·RW + b).
 */
final class SimpleRnnLanes {

    private SimpleRnnLanes() {
    }

    /**
     * z ← tanh(z + g + b) (z holding h_{t−1}·RW, g the step's input projection); the carried state
     * {@code h} becomes m·z + (1 − m)·h and the output {@code y} m·z, m the row's mask value.
     */
    static void step(float[] z, float[] g, float[] b, float[] h, float[] y, double[] mask, int t, int mb,
            int hidden) {
        for (int r = 0; r < mb; r++) {
            float m = mask == null ? 1f : (float) mask[t * mb + r];
            int s = r * hidden;
            int k = 0;
            for (int end = S.loopBound(hidden); k < end; k += S.length()) {
                FloatVector a = VectorMath.tanh(FloatVector.fromArray(S, z, s + k)
                        .add(FloatVector.fromArray(S, g, s + k)).add(FloatVector.fromArray(S, b, k)));
                a.intoArray(z, s + k);
                if (m == 1f) {
                    a.intoArray(h, s + k);
                    a.intoArray(y, s + k);
                } else {
                    a.mul(m).add(FloatVector.fromArray(S, h, s + k).mul(1f - m)).intoArray(h, s + k);
                    a.mul(m).intoArray(y, s + k);
                }
            }
            for (; k < hidden; k++) {
                float a = VectorMath.tanh(z[s + k] + g[s + k] + b[k]);
                z[s + k] = a;
                if (m == 1f) {
                    h[s + k] = a;
                    y[s + k] = a;
                } else {
                    h[s + k] = a * m + h[s + k] * (1f - m);
                    y[s + k] = a * m;
                }
            }
        }
    }

    /**
     * One step of backprop: d = m·(ε_t + δh), dz = d ⊙ (1 − h_t²) into {@code dz} and summed into
     * {@code db}; the carried gradient {@code dh} keeps (1 − m)·δh (the caller adds dz·RWᵀ).
     * {@code hNew} holds the states after step t (h_t wherever m = 1; d = 0 elsewhere).
     */
    static void backward(float[] hNew, float[] eps, float[] dh, float[] dz, float[] db, double[] mask, int t,
            int mb, int hidden) {
        for (int r = 0; r < mb; r++) {
            float m = mask == null ? 1f : (float) mask[t * mb + r];
            int s = r * hidden;
            int k = 0;
            for (int end = S.loopBound(hidden); k < end; k += S.length()) {
                FloatVector carried = FloatVector.fromArray(S, dh, s + k);
                FloatVector d = FloatVector.fromArray(S, eps, s + k).add(carried).mul(m);
                VectorMath.storeAndSum(d.mul(tanhSlope(FloatVector.fromArray(S, hNew, s + k))), dz, db, s, k);
                carried.mul(1f - m).intoArray(dh, s + k);
            }
            for (; k < hidden; k++) {
                float carried = dh[s + k];
                float d = (eps[s + k] + carried) * m * VectorMath.tanhSlope(hNew[s + k]);
                dz[s + k] = d;
                db[k] += d;
                dh[s + k] = carried * (1f - m);
            }
        }
    }
}
