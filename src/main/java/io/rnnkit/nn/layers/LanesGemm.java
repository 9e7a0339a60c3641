package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.VectorMath.S;

import jdk.incubator.vector.FloatVector;

/**
 * The per-step recurrent products of the SIMD path ({@link LanesSteps}) in Java lanes: c = a·b (+ c) on
 * row-major Java arrays, with b packed once per pass ({@link Packed}). Why not CBLAS there: OpenBLAS's sgemm
 * packs the whole of b (the recurrent weights, 1 MB for H = 256 in an LSTM) on every call, and a step's
 * product is a thin one ([rows, H]·[H, 4H] with rows the minibatch part, 16 for the m2m benchmark on two
 * threads), so packing costs about as much as the arithmetic: measured on one core of the benchmark machine
 * (AVX-512), [16, 256]·[256, 1024] took 173 µs through OpenBLAS, 94 µs with b row-major here and 62 µs with
 * b in panels (below). The operands also stay in Java arrays, where the cells' kernels want them, instead of a copy
 * to native memory and back each step.
 *
 * <p><b>Same bits at every vector width.</b> Every element of c is one chain of fused multiply-adds over
 * p = 0 … k − 1 in order, starting from zero, whether a lane of a vector or the scalar tail
 * ({@link Math#fma}) computes it; the lanes run across columns, never across the sum. So a product does not
 * depend on the CPU's vector width, nor on how the minibatch is split into parts, nor on the block shapes
 * below.
 *
 * <p>b is stored in panels of two vectors' width, each panel's k rows contiguous, so a block streams its
 * panel in order (row-major b would be read at a stride of n floats: 4 KB for n = 1024, one L1 set for the
 * whole panel). The kernel holds 8 rows × 2 vectors of c in registers: per p, 2 vector loads of b and 8
 * broadcasts of a feed 16 multiply-adds, and the 8 rows read a panel once where 4 rows read it twice; rows
 * beyond a multiple of 8 go one at a time (none at the benchmark's 16 and 32 rows a thread).
 * Measured on one core (thread CPU, medians of 25 rounds) against 4 rows × 4 vectors on row-major b:
 * [16, 256]·[256, 1024] 93–94 → 62 µs, [16, 1024]·[1024, 256] with the add 91–99 → 68–80 µs (the m2m
 * LSTM's two products on two threads), [32, 128]·[128, 512] 51–72 → 30 µs (the m2o LSTM's); two runs on the
 * loaded machine. Blocks of 6 × 4 and 12 × 2 vectors were slower than 8 × 2 (more accumulators than C2 keeps
 * in registers). Loaded only when {@link FloatLanes#AVAILABLE}.
 */
final class LanesGemm {

    /** Vectors per panel of b. */
    private static final int PANEL_VECTORS = 2;

    private LanesGemm() {
    }

    /**
     * b [k, n] in panels: the columns {@code j·P … j·P + P − 1} (P = {@link #PANEL_VECTORS} vectors) of every
     * full panel j as k rows of P floats, one after the other, then the last {@code n mod P} columns the same
     * way (k rows of that width). The layout depends on the vector width; the products do not.
     */
    static final class Packed {
        final float[] panels;
        final int k;
        final int n;
        /** Floats per row of a full panel. */
        final int width;
        /** Full panels. */
        final int count;

        private Packed(int k, int n) {
            this.k = k;
            this.n = n;
            this.width = PANEL_VECTORS * S.length();
            this.count = n / width;
            this.panels = new float[k * n];
        }

        /** Where row p of the panel of column j starts (j a panel's first column). */
        int at(int p, int j) {
            int w = j < count * width ? width : n - count * width;
            return j * k + p * w;
        }

        /** b [k, n] stored row-major ({@code b[p·n + j]}). */
        static Packed ofRowMajor(float[] b, int k, int n) {
            Packed x = new Packed(k, n);
            for (int j = 0; j < n; j += x.width) {
                int w = Math.min(x.width, n - j);
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, p * n + j, x.panels, x.at(p, j), w);
                }
            }
            return x;
        }

        /** b [k, n] stored column-major ({@code b[p + j·k]}), as ND4J's 'f' order keeps a [k, n] matrix. */
        static Packed ofColumnMajor(float[] b, int k, int n) {
            Packed x = new Packed(k, n);
            for (int j = 0; j < n; j += x.width) {
                int w = Math.min(x.width, n - j);
                int base = x.at(0, j);
                for (int q = 0; q < w; q++) {
                    int from = (j + q) * k;
                    for (int p = 0; p < k; p++) {
                        x.panels[base + p * w + q] = b[from + p];
                    }
                }
            }
            return x;
        }
    }

    /**
     * c[m, n] = a[m, k]·b[k, n], a and c row-major and dense. There is no c += a·b: with both kinds of store
     * the 8-row block grew past what C2 inlines (NodeCountInliningCutoff), its stores became calls and its
     * vectors objects, 8 times slower; a caller that adds the product does so itself.
     */
    static void multiply(float[] a, Packed b, float[] c, int m) {
        int full = b.count * b.width;
        int m8 = m - m % 8;
        for (int j = 0; j < full; j += b.width) {
            for (int i = 0; i < m8; i += 8) {
                block8(a, b, c, i, j);
            }
        }
        for (int i = m8; i < m; i++) { // a row alone (a single sequence): four panels at once, else latency-bound
            int j = 0;
            for (; j + 4 * b.width <= full; j += 4 * b.width) {
                block1x4(a, b, c, i, j);
            }
            for (; j < full; j += b.width) {
                block1(a, b, c, i, j);
            }
        }
        if (full < b.n) {
            for (int i = 0; i < m; i++) {
                tail(a, b, c, i, full);
            }
        }
    }

    /** Rows i … i + 7 of the full panel at column j. */
    private static void block8(float[] a, Packed b, float[] c, int i, int j) {
        int l = S.length();
        int k = b.k;
        float[] pk = b.panels;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        int a0 = i * k;
        int bo = b.at(0, j);
        for (int p = 0; p < k; p++, bo += 2 * l) {
            FloatVector b0 = FloatVector.fromArray(S, pk, bo);
            FloatVector b1 = FloatVector.fromArray(S, pk, bo + l);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a0 + k + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a0 + 2 * k + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a0 + 3 * k + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a0 + 4 * k + p]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a0 + 5 * k + p]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[a0 + 6 * k + p]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[a0 + 7 * k + p]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        int n = b.n;
        int o = i * n + j;
        c00.intoArray(c, o);
        c01.intoArray(c, o + l);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + l);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + l);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + l);
        c40.intoArray(c, o + 4 * n);
        c41.intoArray(c, o + 4 * n + l);
        c50.intoArray(c, o + 5 * n);
        c51.intoArray(c, o + 5 * n + l);
        c60.intoArray(c, o + 6 * n);
        c61.intoArray(c, o + 6 * n + l);
        c70.intoArray(c, o + 7 * n);
        c71.intoArray(c, o + 7 * n + l);
    }

    /**
     * Row i of the four full panels from column j. One row's panel alone keeps two chains of multiply-adds, each
     * waiting for the previous one (4 cycles each), so a single sequence's step product ran at a quarter of the
     * core's rate; four panels give eight independent chains. Each element is still one chain over p in order, so
     * the bits are {@link #block1}'s.
     */
    private static void block1x4(float[] a, Packed b, float[] c, int i, int j) {
        int l = S.length();
        int k = b.k;
        float[] pk = b.panels;
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        int a0 = i * k;
        int panel = 2 * l * k; // floats of one full panel
        int bo = b.at(0, j);
        for (int p = 0; p < k; p++, bo += 2 * l) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c0 = FloatVector.fromArray(S, pk, bo).fma(x, c0);
            c1 = FloatVector.fromArray(S, pk, bo + l).fma(x, c1);
            c2 = FloatVector.fromArray(S, pk, bo + panel).fma(x, c2);
            c3 = FloatVector.fromArray(S, pk, bo + panel + l).fma(x, c3);
            c4 = FloatVector.fromArray(S, pk, bo + 2 * panel).fma(x, c4);
            c5 = FloatVector.fromArray(S, pk, bo + 2 * panel + l).fma(x, c5);
            c6 = FloatVector.fromArray(S, pk, bo + 3 * panel).fma(x, c6);
            c7 = FloatVector.fromArray(S, pk, bo + 3 * panel + l).fma(x, c7);
        }
        int o = i * b.n + j;
        c0.intoArray(c, o);
        c1.intoArray(c, o + l);
        c2.intoArray(c, o + 2 * l);
        c3.intoArray(c, o + 3 * l);
        c4.intoArray(c, o + 4 * l);
        c5.intoArray(c, o + 5 * l);
        c6.intoArray(c, o + 6 * l);
        c7.intoArray(c, o + 7 * l);
    }

    /** Row i of the full panel at column j. */
    private static void block1(float[] a, Packed b, float[] c, int i, int j) {
        int l = S.length();
        int k = b.k;
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        int a0 = i * k;
        int bo = b.at(0, j);
        for (int p = 0; p < k; p++, bo += 2 * l) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c0 = FloatVector.fromArray(S, b.panels, bo).fma(x, c0);
            c1 = FloatVector.fromArray(S, b.panels, bo + l).fma(x, c1);
        }
        c0.intoArray(c, i * b.n + j);
        c1.intoArray(c, i * b.n + j + l);
    }

    /** Row i of the last, narrower panel (columns j … n − 1): whole vectors, then single elements. */
    private static void tail(float[] a, Packed b, float[] c, int i, int j) {
        int l = S.length();
        int k = b.k;
        int w = b.n - j;
        int base = b.at(0, j);
        int a0 = i * k;
        int q = 0;
        for (; q + l <= w; q += l) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                acc = FloatVector.fromArray(S, b.panels, base + p * w + q).fma(FloatVector.broadcast(S, a[a0 + p]), acc);
            }
            acc.intoArray(c, i * b.n + j + q);
        }
        for (; q < w; q++) {
            float acc = 0f;
            for (int p = 0; p < k; p++) {
                acc = Math.fma(b.panels[base + p * w + q], a[a0 + p], acc);
            }
            c[i * b.n + j + q] = acc;
        }
    }
}
