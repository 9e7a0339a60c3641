package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** CpuBlas.gemm against ND4J's mmul for every storage order, transpose, view and beta it meets. */
class CpuBlasTest {

    /** The BLAS ND4J loaded is the one asked for: MKL under the mkl profile (mvn -Pmkl), else OpenBLAS. */
    @org.junit.jupiter.api.Test
    void theRequestedBlasIsLoaded() {
        boolean mkl = "mkl_rt".equals(System.getProperty("org.bytedeco.openblas.load"));
        org.junit.jupiter.api.Assertions.assertEquals(mkl ? "MKL" : "OPENBLAS",
                org.nd4j.linalg.factory.Nd4j.factory().blas().getBlasVendor().name());
    }

    private static void check(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double beta) {
        check(a, ta, b, tb, c, beta, false);
    }

    private static void check(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double beta, boolean split) {
        INDArray opA = ta ? a.transpose() : a;
        INDArray opB = tb ? b.transpose() : b;
        INDArray expected = opA.mmul(opB).addi(c.mul(beta));
        if (split) {
            CpuBlas.gemmSplit(a, ta, b, tb, c, beta);
        } else {
            CpuBlas.gemm(a, ta, b, tb, c, beta);
        }
        double tol = c.dataType() == DataType.DOUBLE ? 1e-12 : 1e-4;
        double diff = expected.sub(c).amaxNumber().doubleValue();
        assertTrue(diff < tol, "max |diff| " + diff + " for a " + a.ordering() + (ta ? "ᵀ" : "") + ", b "
                + b.ordering() + (tb ? "ᵀ" : "") + ", c " + c.ordering() + ", beta " + beta);
    }

    private static INDArray matrix(long seed, DataType type, char order, long rows, long cols) {
        return uniform(seed, type, rows, cols).dup(order);
    }

    /**
     * The products over all steps, split by rows (tall results: input projection, input gradient) or by
     * columns (wide: weight gradients, Xᵀ·dG) across two threads, in every storage order.
     */
    @Test
    void splitAcrossTwoThreads() {
        int before = LayerThreads.get();
        LayerThreads.set(2);
        try {
            long seed = 100;
            // m, n, k: each above CpuBlas.SPLIT_WORK multiply-adds
            int[][] shapes = {{400, 100, 60}, {100, 400, 60}, {100, 120, 400}};
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                for (int[] s : shapes) {
                    org.junit.jupiter.api.Assertions.assertTrue((long) s[0] * s[1] * s[2] >= CpuBlas.SPLIT_WORK);
                    for (char o : new char[] {'c', 'f'}) {
                        for (boolean ta : new boolean[] {false, true}) {
                            boolean tb = !ta;
                            INDArray a = ta ? matrix(++seed, type, o, s[2], s[0]) : matrix(++seed, type, o, s[0], s[2]);
                            INDArray b = tb ? matrix(++seed, type, o, s[1], s[2]) : matrix(++seed, type, o, s[2], s[1]);
                            check(a, ta, b, tb, matrix(++seed, type, o == 'c' ? 'f' : 'c', s[0], s[1]), 0.0, true);
                            check(a, ta, b, tb, matrix(++seed, type, o, s[0], s[1]), 1.0, true);
                        }
                    }
                }
            }
        } finally {
            LayerThreads.set(before);
        }
    }

    /**
     * The products of a layer with one input feature: the projection [rows, 1]·[1, n] (costed at
     * {@link CpuBlas#MIN_COST_K}, so split although it has few multiply-adds) and the input gradient
     * [rows, k]·[k, 1], which runs as a matrix-vector product; both on one thread and split across two, in every
     * storage order and transpose.
     */
    @Test
    void oneInputFeature() {
        int before = LayerThreads.get();
        try {
            long seed = 300;
            for (int threads : new int[] {1, 2}) {
                LayerThreads.set(threads);
                for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                    for (char o : new char[] {'c', 'f'}) {
                        for (boolean ta : new boolean[] {false, true}) {
                            for (boolean tb : new boolean[] {false, true}) {
                                // projection: 3000 × 48 results, one multiply each, costed above SPLIT_WORK
                                assertTrue(3000L * 48 * CpuBlas.MIN_COST_K >= CpuBlas.SPLIT_WORK);
                                INDArray x = ta ? matrix(++seed, type, o, 1, 3000) : matrix(++seed, type, o, 3000, 1);
                                INDArray w = tb ? matrix(++seed, type, o, 48, 1) : matrix(++seed, type, o, 1, 48);
                                check(x, ta, w, tb, matrix(++seed, type, 'c', 3000, 48), 0.0, true);
                                // input gradient: one result column, as a plain product and split by rows
                                INDArray dG = ta ? matrix(++seed, type, o, 40, 3000) : matrix(++seed, type, o, 3000, 40);
                                INDArray wRow = tb ? matrix(++seed, type, o, 1, 40) : matrix(++seed, type, o, 40, 1);
                                check(dG, ta, wRow, tb, matrix(++seed, type, o, 3000, 1), 0.0, true);
                                check(dG, ta, wRow, tb, matrix(++seed, type, o, 3000, 1), 1.0, true);
                            }
                        }
                    }
                }
            }
        } finally {
            LayerThreads.set(before);
        }
    }

    @Test
    void allOrdersTransposesAndBetas() {
        long seed = 0;
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (int m : new int[] {1, 5}) {
                for (char oa : new char[] {'c', 'f'}) {
                    for (char ob : new char[] {'c', 'f'}) {
                        for (char oc : new char[] {'c', 'f'}) {
                            for (boolean ta : new boolean[] {false, true}) {
                                for (boolean tb : new boolean[] {false, true}) {
                                    INDArray a = ta ? matrix(++seed, type, oa, 4, m) : matrix(++seed, type, oa, m, 4);
                                    INDArray b = tb ? matrix(++seed, type, ob, 3, 4) : matrix(++seed, type, ob, 4, 3);
                                    check(a, ta, b, tb, matrix(++seed, type, oc, m, 3), 0.0);
                                    check(a, ta, b, tb, matrix(++seed, type, oc, m, 3), 1.0);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void viewsWithOffsetsAndLeadingDimensions() {
        INDArray big = uniform(1, DataType.DOUBLE, 12, 12);
        INDArray rows = big.get(NDArrayIndex.interval(4, 8), NDArrayIndex.all()); // offset, contiguous
        INDArray cols = big.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 6)); // leading dimension 12
        INDArray c = uniform(2, DataType.DOUBLE, 12, 12).get(NDArrayIndex.interval(1, 5), NDArrayIndex.interval(3, 7));
        check(rows, false, cols, false, c, 1.0);
        check(cols, true, rows, true, uniform(3, DataType.DOUBLE, 4, 4), 0.0);
        // one row (gemv): a row of a wider 'f' matrix (its elements 12 apart) into a row of another
        INDArray wideF = uniform(6, DataType.DOUBLE, 12, 12).dup('f');
        INDArray rowF = wideF.get(NDArrayIndex.interval(3, 4), NDArrayIndex.interval(0, 4));
        INDArray cRowF = uniform(7, DataType.DOUBLE, 5, 12).dup('f').get(NDArrayIndex.interval(2, 3), NDArrayIndex.all());
        check(rowF, false, rows, false, cRowF, 1.0);                 // b [4, 12], rows 12 apart
        check(rowF, false, cols, true, cRowF, 0.0);                  // b = [12, 4]ᵀ, leading dimension 12
        check(rowF.transpose(), true, rows.dup('f'), false, cRowF, 1.0);
        // every other column: no unit stride, so ND4J's own gemm takes it
        INDArray strided = big.get(NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 2, 8));
        check(strided, false, uniform(4, DataType.DOUBLE, 4, 3), false, uniform(5, DataType.DOUBLE, 4, 3), 0.0);
    }
}
