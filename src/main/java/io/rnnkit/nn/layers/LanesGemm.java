package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.VectorMath.S;

import jdk.incubator.vector.FloatVector;

/**
 * The per-step recurrent products of the SIMD path ({@link LanesSteps}) in Java lanes: c = a·b (+ c) on
 * row-major Java arrays, with b packed once per pass. Why not CBLAS there: OpenBLAS's sgemm packs the whole
 * of b (the recurrent weights, 1 MB for H = 256 in an LSTM) on every call, and a step's product is a thin
 * one ([rows, H]·[H, 4H] with rows the minibatch part, 16 for the m2m benchmark on two threads), so
 * packing costs about as much as the arithmetic: measured on one core of the benchmark machine (AVX-512),
 * [16, 256]·[256, 1024] took 173 µs through OpenBLAS and 106 µs here (238 / 205 µs at 32 rows). The
 * operands also stay in Java arrays, where the cells' kernels want them, instead of a copy to native
 * memory and back each step.
 *
 * <p><b>Same bits at every vector width.</b> Every element of c is one chain of fused multiply-adds over
 * p = 0 … k − 1 in order, starting from zero, whether a lane of a vector or the scalar tail
 * ({@link Math#fma}) computes it; the lanes run across columns, never across the sum. So a product does not
 * depend on the CPU's vector width, nor on how the minibatch is split into parts.
 *
 * <p>The kernel holds a block of 4 rows × 4 vectors of c in registers and streams b row by row: per p,
 * 4 vector loads of b and 4 broadcasts of a feed 16 multiply-adds. Loaded only when
 * {@link FloatLanes#AVAILABLE}.
 */
final class LanesGemm {

    private LanesGemm() {
    }

    /**
     * c[m, n] = a[m, k]·b[k, n], or c += a·b with {@code accumulate} (the product is summed apart, then
     * added to c), all row-major and dense.
     */
    static void multiply(float[] a, float[] b, float[] c, int m, int n, int k, boolean accumulate) {
        int l = S.length();
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 4 * l <= n; j += 4 * l) {
                block4x4(a, b, c, i, j, n, k, accumulate);
            }
            for (int r = i; r < i + 4; r++) {
                tail(a, b, c, r, j, n, k, accumulate);
            }
        }
        for (; i < m; i++) {
            tail(a, b, c, i, 0, n, k, accumulate);
        }
    }

    /** Row i from column j on: whole vectors, then single elements. */
    private static void tail(float[] a, float[] b, float[] c, int i, int j, int n, int k, boolean accumulate) {
        int l = S.length();
        for (; j + l <= n; j += l) {
            block1x1(a, b, c, i, j, n, k, accumulate);
        }
        for (; j < n; j++) {
            scalar(a, b, c, i, j, n, k, accumulate);
        }
    }

    private static void block4x4(float[] a, float[] b, float[] c, int i, int j, int n, int k, boolean accumulate) {
        int l = S.length();
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int p = 0; p < k; p++) {
            int bo = p * n + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + l);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * l);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * l);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
        }
        int o = i * n + j;
        store(c00, c, o, accumulate);
        store(c01, c, o + l, accumulate);
        store(c02, c, o + 2 * l, accumulate);
        store(c03, c, o + 3 * l, accumulate);
        o += n;
        store(c10, c, o, accumulate);
        store(c11, c, o + l, accumulate);
        store(c12, c, o + 2 * l, accumulate);
        store(c13, c, o + 3 * l, accumulate);
        o += n;
        store(c20, c, o, accumulate);
        store(c21, c, o + l, accumulate);
        store(c22, c, o + 2 * l, accumulate);
        store(c23, c, o + 3 * l, accumulate);
        o += n;
        store(c30, c, o, accumulate);
        store(c31, c, o + l, accumulate);
        store(c32, c, o + 2 * l, accumulate);
        store(c33, c, o + 3 * l, accumulate);
    }

    /** One vector of row i. */
    private static void block1x1(float[] a, float[] b, float[] c, int i, int j, int n, int k, boolean accumulate) {
        FloatVector acc = FloatVector.zero(S);
        int a0 = i * k;
        for (int p = 0; p < k; p++) {
            acc = FloatVector.fromArray(S, b, p * n + j).fma(FloatVector.broadcast(S, a[a0 + p]), acc);
        }
        store(acc, c, i * n + j, accumulate);
    }

    /** Element (i, j) by the same chain of multiply-adds as a lane. */
    private static void scalar(float[] a, float[] b, float[] c, int i, int j, int n, int k, boolean accumulate) {
        float acc = 0f;
        int a0 = i * k;
        for (int p = 0; p < k; p++) {
            acc = Math.fma(b[p * n + j], a[a0 + p], acc);
        }
        c[i * n + j] = accumulate ? c[i * n + j] + acc : acc;
    }

    private static void store(FloatVector v, float[] c, int at, boolean accumulate) {
        (accumulate ? FloatVector.fromArray(S, c, at).add(v) : v).intoArray(c, at);
    }
}
