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
            Nd4j.gemm(a, b, c, transA, transB, 1.0, beta);
            return;
        }
        int k = (int) (transA ? a.size(0) : a.size(1));
        int order = rowMajor ? CblasRowMajor : CblasColMajor;
        if (m == 1 && oneRow(order, a, transA, b, opB, c, k, (int) n, beta)) {
            return;
        }
        if (type == DataType.FLOAT) {
            cblas_sgemm(order, opA.trans, opB.trans, (int) m, (int) n, k, 1f,
                    new FloatPointer(a.data().addressPointer()), opA.ld, new FloatPointer(b.data().addressPointer()),
                    opB.ld, (float) beta, new FloatPointer(c.data().addressPointer()), (int) ldc);
        } else {
            cblas_dgemm(order, opA.trans, opB.trans, (int) m, (int) n, k, 1.0,
                    new DoublePointer(a.data().addressPointer()), opA.ld, new DoublePointer(b.data().addressPointer()),
                    opB.ld, beta, new DoublePointer(c.data().addressPointer()), (int) ldc);
        }
    }

    /**
     * c[1, n] = op(a)[1, k]·op(b)[k, n] + beta·c as y = op(b)ᵀ·x (gemv) with x the row op(a) and y the row
     * c, reading b as {@code opB} describes it in {@code order}; false when a or c has no positive stride
     * along its row (then gemm takes it).
     */
    private static boolean oneRow(int order, INDArray a, boolean transA, INDArray b, Operand opB, INDArray c, int k,
            int n, double beta) {
        long incX = k == 1 ? 1 : (transA ? a.stride(0) : a.stride(1));
        long incY = n == 1 ? 1 : c.stride(1);
        if (incX < 1 || incY < 1) {
            return false;
        }
        // The matrix S as stored in this order is op(b) [k, n] (then y = Sᵀx) or op(b)ᵀ [n, k] (then y = Sx)
        boolean storedIsOp = opB.trans == CblasNoTrans;
        int trans = storedIsOp ? CblasTrans : CblasNoTrans;
        int rows = storedIsOp ? k : n;
        int cols = storedIsOp ? n : k;
        if (c.dataType() == DataType.FLOAT) {
            cblas_sgemv(order, trans, rows, cols, 1f, new FloatPointer(b.data().addressPointer()), opB.ld,
                    new FloatPointer(a.data().addressPointer()), (int) incX, (float) beta,
                    new FloatPointer(c.data().addressPointer()), (int) incY);
        } else {
            cblas_dgemv(order, trans, rows, cols, 1.0, new DoublePointer(b.data().addressPointer()), opB.ld,
                    new DoublePointer(a.data().addressPointer()), (int) incX, beta,
                    new DoublePointer(c.data().addressPointer()), (int) incY);
        }
        return true;
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
