package io.rnnkit.nn.layers;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemv;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products straight through CBLAS, the BLAS that ND4J's CPU backend itself loads (OpenBLAS,
 * or MKL when {@code org.bytedeco.openblas.load=mkl_rt} is set). ND4J's {@code Nd4j.gemm} builds and
 * validates a custom op on every call, which costs tens of microseconds: as much as the whole product
 * for the per-step shapes of a small recurrent layer, and more for single-sequence inference.
 * Arrays that CBLAS cannot take as they are (no unit stride in either dimension, other data types)
 * go through {@code Nd4j.gemm}.
 *
 * <p>A product with one row, the per-step product of single-sequence inference ([1, H]·[H, 4H] for
 * an LSTM), runs as a matrix-vector product ({@code gemv}): OpenBLAS's {@code gemm} packs the whole
 * weight matrix on every call, which made it take ~60 µs for H = 128 where {@code gemv} reads the
 * matrix once.
 */
final class CpuBlas {

    private CpuBlas() {
    }

    /** c = op(a)·op(b) + beta·c, op transposing when asked. */
    static void gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double beta) {
        product(a, transA, b, transB, c).run(beta);
    }

    /**
     * Multiply-adds below which a product is not worth splitting across threads (about 25 µs on one core; at 2^21
     * the m2o benchmark's weight gradient of its one input feature, [1, 3840]·[3840, 512], ran on one thread).
     */
    static final long SPLIT_WORK = 1L << 20;

    /**
     * The inner dimension a product is costed at, at least: with fewer multiply-adds per element (the input
     * projection of a layer with a few input features) the time goes into writing the result, which also
     * splits well. The m2o benchmark's projection [3840, 1]·[1, 512] (nIn = 1) writes 7.8 MB: ~680 µs of the
     * main thread's CPU while the other waited, ~425 µs split in two.
     */
    static final long MIN_COST_K = 16;

    /**
     * c = op(a)·op(b) + beta·c as {@link #gemm}, split across {@link LayerThreads} when it is large: into
     * blocks of rows of c (rows of op(a)) when c has at least as many rows as columns, else into blocks of
     * columns (columns of op(b)). Each element of c is still one dot product over the whole inner
     * dimension, so no partial sums are added across threads; the blocks are the same for the same thread
     * count. The products over all steps of a pass (input projection, weight and input gradients) use it; a
     * result of one column (the input gradient of one input feature) runs as a matrix-vector product.
     */
    static void gemmSplit(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double beta) {
        long m = c.size(0);
        long n = c.size(1);
        long k = transA ? a.size(0) : a.size(1);
        boolean byRows = m >= n;
        int parts = m * n * Math.max(k, MIN_COST_K) < SPLIT_WORK ? 1 : LayerThreads.parts(byRows ? m : n);
        if (parts == 1) {
            product(a, transA, b, transB, c, true).run(beta);
            return;
        }
        Product[] blocks = new Product[parts];
        int size = (int) (byRows ? m : n);
        for (int p = 0; p < parts; p++) {
            int from = LayerThreads.start(size, parts, p);
            int to = LayerThreads.start(size, parts, p + 1);
            if (byRows) {
                INDArray aRows = transA ? columns(a, from, to) : FusedRecurrentLayer.rows(a, from, to);
                blocks[p] = product(aRows, transA, b, transB, FusedRecurrentLayer.rows(c, from, to), true);
            } else {
                INDArray bCols = transB ? FusedRecurrentLayer.rows(b, from, to) : columns(b, from, to);
                blocks[p] = product(a, transA, bCols, transB, columns(c, from, to), true);
            }
        }
        LayerThreads.run(parts, p -> blocks[p].run(beta));
    }

    private static INDArray columns(INDArray x, long from, long to) {
        return x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
    }

    /**
     * The product c = op(a)·op(b) + beta·c on these three arrays, worked out once (storage orders, leading
     * dimensions, native pointers) to be run many times: a recurrent layer's per-step product on the same
     * buffers, which would otherwise allocate a dozen pointer objects per step (most of single-sequence
     * inference's garbage). The arrays must stay where they are (same workspace scope) while it is used.
     */
    static Product product(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c) {
        return product(a, transA, b, transB, c, false);
    }

    /**
     * {@link #product}; with {@code columnAsGemv} a result of one column runs as a matrix-vector product
     * ({@link #oneColumn}; only the products over all steps ask for it, so per-step products keep their bits).
     */
    private static Product product(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c,
            boolean columnAsGemv) {
        DataType type = c.dataType();
        long m = c.size(0);
        long n = c.size(1);
        boolean rowMajor = c.stride(1) == 1 || n == 1;
        boolean colMajor = c.stride(0) == 1 || m == 1;
        long ldc = rowMajor ? (m == 1 ? Math.max(1, n) : c.stride(0)) : (n == 1 ? Math.max(1, m) : c.stride(1));
        boolean supported = (type == DataType.FLOAT || type == DataType.DOUBLE) && a.dataType() == type
                && b.dataType() == type && (rowMajor || colMajor) && ldc >= (rowMajor ? n : m);
        Operand opA = supported ? Operand.of(a, transA, rowMajor) : null;
        Operand opB = supported ? Operand.of(b, transB, rowMajor) : null;
        if (opA == null || opB == null) {
            return beta -> Nd4j.gemm(a, b, c, transA, transB, 1.0, beta);
        }
        int k = (int) (transA ? a.size(0) : a.size(1));
        int order = rowMajor ? CblasRowMajor : CblasColMajor;
        if (m == 1) {
            Product row = oneRow(order, a, transA, b, opB, c, k, (int) n);
            if (row != null) {
                return row;
            }
        } else if (columnAsGemv && n == 1 && k > 1) {
            Product column = oneColumn(a, opA, b, transB, c, (int) m, k);
            if (column != null) {
                return column;
            }
        }
        int rows = (int) m;
        int cols = (int) n;
        if (type == DataType.FLOAT) {
            FloatPointer pa = new FloatPointer(a.data().addressPointer());
            FloatPointer pb = new FloatPointer(b.data().addressPointer());
            FloatPointer pc = new FloatPointer(c.data().addressPointer());
            return beta -> cblas_sgemm(order, opA.trans, opB.trans, rows, cols, k, 1f, pa, opA.ld, pb, opB.ld,
                    (float) beta, pc, (int) ldc);
        }
        DoublePointer pa = new DoublePointer(a.data().addressPointer());
        DoublePointer pb = new DoublePointer(b.data().addressPointer());
        DoublePointer pc = new DoublePointer(c.data().addressPointer());
        return beta -> cblas_dgemm(order, opA.trans, opB.trans, rows, cols, k, 1.0, pa, opA.ld, pb, opB.ld, beta, pc,
                (int) ldc);
    }

    /** A matrix product prepared by {@link #product}. */
    @FunctionalInterface
    interface Product {
        /** c = op(a)·op(b) + beta·c. */
        void run(double beta);
    }

    /**
     * c[1, n] = op(a)[1, k]·op(b)[k, n] + beta·c as y = op(b)ᵀ·x (gemv) with x the row op(a) and y the row
     * c, reading b as {@code opB} describes it in {@code order}; null when a or c has no positive stride
     * along its row (then gemm takes it).
     */
    private static Product oneRow(int order, INDArray a, boolean transA, INDArray b, Operand opB, INDArray c, int k,
            int n) {
        long incX = k == 1 ? 1 : (transA ? a.stride(0) : a.stride(1));
        long incY = n == 1 ? 1 : c.stride(1);
        return matrixVector(order, b, opB, true, a, incX, c, incY, k, n);
    }

    /**
     * c[m, 1] = op(a)[m, k]·op(b)[k, 1] + beta·c as y = op(a)·x (gemv) with x the column op(b), reading a as
     * {@code opA} describes it in row-major order; null when b or c has no positive stride along its column. The
     * input gradient of a layer with one input feature has this shape ([T·mb, 4H]·[4H, 1] for an LSTM): OpenBLAS's
     * gemm packs all of dG first, where gemv reads it once (the m2o benchmark's [3840, 512]·[512, 1]: ~620 µs of
     * thread CPU as gemm, ~290 µs as gemv). Its sums round differently from gemm's (the last bits of the input
     * gradient; no parameter of that layer depends on it).
     */
    private static Product oneColumn(INDArray a, Operand opA, INDArray b, boolean transB, INDArray c, int m, int k) {
        return matrixVector(CblasRowMajor, a, opA, false, b, transB ? b.stride(1) : b.stride(0), c, c.stride(0), k, m);
    }

    /**
     * y = x·op(matrix) with op(matrix) [k, other] ({@code vectorLeft}) or y = op(matrix)·x with op(matrix)
     * [other, k], as one gemv on the matrix as {@code op} says it is stored in {@code order}; null when x or y has no
     * positive stride.
     */
    private static Product matrixVector(int order, INDArray matrix, Operand op, boolean vectorLeft, INDArray x,
            long incX, INDArray y, long incY, int k, int other) {
        if (incX < 1 || incY < 1) {
            return null;
        }
        // the matrix S as stored is op(matrix) or its transpose: gemv multiplies x by S or by Sᵀ
        boolean storedIsOp = op.trans == CblasNoTrans;
        int opRows = vectorLeft ? k : other;
        int opCols = vectorLeft ? other : k;
        int trans = vectorLeft == storedIsOp ? CblasTrans : CblasNoTrans;
        return gemv(order, trans, storedIsOp ? opRows : opCols, storedIsOp ? opCols : opRows, matrix, op.ld, x,
                (int) incX, y, (int) incY);
    }

    /** y = S·x + beta·y (S read as {@code trans} says), prepared as {@link #product} prepares a gemm. */
    private static Product gemv(int order, int trans, int rows, int cols, INDArray s, int ld, INDArray x, int incX,
            INDArray y, int incY) {
        if (y.dataType() == DataType.FLOAT) {
            FloatPointer ps = new FloatPointer(s.data().addressPointer());
            FloatPointer px = new FloatPointer(x.data().addressPointer());
            FloatPointer py = new FloatPointer(y.data().addressPointer());
            return beta -> cblas_sgemv(order, trans, rows, cols, 1f, ps, ld, px, incX, (float) beta, py, incY);
        }
        DoublePointer ps = new DoublePointer(s.data().addressPointer());
        DoublePointer px = new DoublePointer(x.data().addressPointer());
        DoublePointer py = new DoublePointer(y.data().addressPointer());
        return beta -> cblas_dgemv(order, trans, rows, cols, 1.0, ps, ld, px, incX, beta, py, incY);
    }

    /** How CBLAS is to read one operand, given the storage order of the result. */
    private record Operand(int trans, int ld) {

        /** Null when the operand is not stored row by row or column by column (a strided view). */
        static Operand of(INDArray x, boolean transposed, boolean rowMajor) {
            if (x.rank() != 2) {
                return null;
            }
            long rows = x.size(0);
            long cols = x.size(1);
            boolean rowStored = x.stride(1) == 1 || cols == 1; // x[i][j] at i * ldRow + j
            long ldRow = rows == 1 ? Math.max(1, cols) : x.stride(0);
            boolean colStored = x.stride(0) == 1 || rows == 1; // x[i][j] at i + j * ldCol
            long ldCol = cols == 1 ? Math.max(1, rows) : x.stride(1);
            boolean asResult = rowMajor ? rowStored && ldRow >= cols : colStored && ldCol >= rows;
            if (asResult) {
                return new Operand(transposed ? CblasTrans : CblasNoTrans, (int) (rowMajor ? ldRow : ldCol));
            }
            // stored in the other order: BLAS sees the transpose, so transpose once more
            boolean flipped = rowMajor ? colStored && ldCol >= rows : rowStored && ldRow >= cols;
            if (flipped) {
                return new Operand(transposed ? CblasNoTrans : CblasTrans, (int) (rowMajor ? ldCol : ldRow));
            }
            return null;
        }
    }
}
