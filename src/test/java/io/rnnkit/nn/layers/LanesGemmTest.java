package io.rnnkit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LanesGemm}'s products give, to the last bit, what one scalar chain of fused multiply-adds per element
 * (p = 0 … k − 1 in order, from zero) gives: the definition that makes them independent of the vector width and
 * of how the rows are split. {@code mvn verify} runs this class again at 128- and 256-bit vectors, where the
 * panels are narrower, so the shapes below hit every block (8 rows, single rows) and the last panel's
 * vectors and single columns at each width.
 */
class LanesGemmTest {

    @ParameterizedTest(name = "[{0}, {2}]·[{2}, {1}]")
    @CsvSource({
        "16, 1024, 256", // the m2m LSTM's forward product on one of two threads
        "16, 256, 1024", // and its backward one
        "19, 77, 13", // 8 + 8 rows, then single rows; panels and a tail of vectors and single columns
        "13, 51, 9", // 8 rows, then single rows; at 512 bits a tail of one vector and 3 columns
        "7, 5, 3", // narrower than one vector: the last panel only
        "1, 512, 128", // a single sequence's m2o LSTM step: four panels at once
        "3, 300, 17", // single rows: groups of four panels, then single panels, then the tail, at every width
        "1, 1, 1",
    })
    void productsAreTheScalarChainsBitForBit(int m, int n, int k) {
        Random random = new Random(m * 31L + n * 7L + k);
        float[] a = values(random, m * k);
        float[] b = values(random, k * n);
        float[] expected = scalarChains(a, b, m, n, k);
        float[] bColumnMajor = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bColumnMajor[p + j * k] = b[p * n + j];
            }
        }
        for (LanesGemm.Packed packed : new LanesGemm.Packed[] {LanesGemm.Packed.ofRowMajor(b, k, n),
            LanesGemm.Packed.ofColumnMajor(bColumnMajor, k, n)}) {
            float[] c = values(random, m * n); // overwritten, whatever it held
            LanesGemm.multiply(a, packed, c, m);
            assertBits(expected, c);
        }
    }

    /** The reference: c[i][j] = fma chain over p of b[p][j]·a[i][p], in order, from zero. */
    private static float[] scalarChains(float[] a, float[] b, int m, int n, int k) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(b[p * n + j], a[i * k + p], acc);
                }
                c[i * n + j] = acc;
            }
        }
        return c;
    }

    private static float[] values(Random random, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static void assertBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        int[] e = new int[expected.length];
        int[] x = new int[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Float.floatToRawIntBits(expected[i]);
            x[i] = Float.floatToRawIntBits(actual[i]);
        }
        assertArrayEquals(e, x, "at " + VectorMath.S.vectorBitSize() + "-bit vectors");
    }
}
