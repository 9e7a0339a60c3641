package io.rnnkit.nn.layers;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

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
        int order = rowMajor ? CblasRowMajor : CblasColMajor;
        int k = (int) (transA ? a.size(0) : a.size(1));
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
