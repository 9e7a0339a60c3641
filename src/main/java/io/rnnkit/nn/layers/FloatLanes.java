package io.rnnkit.nn.layers;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether rnnkit's layers run FLOAT networks through their SIMD kernels ({@link LstmLanes}), and the
 * bulk copies between ND4J's native memory and the Java arrays those kernels work on.
 *
 * <p>The kernels use the JDK's Vector API, still an incubator module in Java 17 to 25: the JVM must be
 * started with {@code --add-modules jdk.incubator.vector} (the {@code ./rnnkit} launcher and the test
 * JVMs are). Without it, or with {@code -Drnnkit.simd=false}, every layer takes its scalar path, which
 * computes the same functions. Why it is worth a JVM flag: the scalar path spends most of its time in
 * {@code Math.exp} (about 10 ns an element, an LSTM step needing five per unit); the Vector API's
 * float exp and tanh (Intel SVML on x86) take about 1 ns an element. DOUBLE networks always take the
 * scalar path, which the double-precision gradient checks cover: the JDK's double-lane exp is no
 * faster than the scalar one.
 */
public final class FloatLanes {

    /** The Vector API is loadable and not switched off. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("rnnkit.simd"));

    private FloatLanes() {
    }

    /** Whether FLOAT networks run on the SIMD kernels in this JVM (benchmarks print it). */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * The width in bits of the vectors the SIMD kernels use (the JVM's preferred float species, which
     * {@code -XX:MaxVectorSize} narrows), or 0 when they are off. VectorMath is only touched when they are
     * on, as it needs the incubator module.
     */
    public static int vectorBits() {
        return AVAILABLE ? VectorMath.S.vectorBitSize() : 0;
    }

    /** Whether a layer computing in {@code dataType} uses the SIMD kernels. */
    static boolean use(DataType dataType) {
        return AVAILABLE && dataType == DataType.FLOAT;
    }

    /** The values rounded to float. */
    static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    /**
     * The values of a FLOAT vector (a bias [1, n]) as floats: one bulk copy when it is contiguous, where going
     * through doubles took an ND4J cast op (tens of µs, a share of single-sequence inference).
     */
    static float[] vector(INDArray v) {
        long n = v.length();
        if (v.dataType() == DataType.FLOAT && (n == 1 || v.elementWiseStride() == 1)) {
            float[] out = new float[(int) n];
            view(v).get(0, out);
            return out;
        }
        return floats(v.castTo(DataType.DOUBLE).toDoubleVector());
    }

    /**
     * The memory of a FLOAT array from its first element to the last one its strides reach, as a buffer
     * whose index i is element position i (relative to the array's first element, as {@link RawBuffer}).
     */
    static FloatBuffer view(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a FLOAT array, got " + array.dataType());
        }
        long span = RawBuffer.span(array);
        FloatPointer p = new FloatPointer(array.data().addressPointer()).capacity(span).limit(span);
        return p.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * The rows of a stored state [mb, parts × h] (any layout; h | c for an LSTM) into one Java array
     * [mb, h] per part.
     */
    static void readState(INDArray state, int mb, int h, float[]... parts) {
        FloatBuffer s = view(state.castTo(DataType.FLOAT).dup('c'));
        for (int i = 0; i < mb; i++) {
            for (int p = 0; p < parts.length; p++) {
                s.get((i * parts.length + p) * h, parts[p], i * h, h);
            }
        }
    }

    /** The inverse of {@link #readState}: the parts [mb, h] side by side into {@code state} ('c', [mb, parts × h]). */
    static void writeState(INDArray state, int mb, int h, float[]... parts) {
        FloatBuffer s = view(state);
        for (int i = 0; i < mb; i++) {
            for (int p = 0; p < parts.length; p++) {
                s.put((i * parts.length + p) * h, parts[p], i * h, h);
            }
        }
    }

    /**
     * The rows of {@code part} at step t of the layer output {@code out} ([mb, h, T] with the given strides,
     * rows adjacent: {@code stride[0] == 1}, as {@link FusedRecurrentLayer#outputArray} makes it) from the rows
     * {@code y} [rows, h], transposed through {@code scratch} [rows·h] and written in one copy per unit (one in all
     * when a step's units are adjacent blocks of the whole minibatch).
     */
    static void writeStep(FloatBuffer out, long[] stride, float[] y, float[] scratch, LanesSteps.Part part, int h,
            int t) {
        int n = part.rows;
        int step = (int) (t * stride[2] + part.r0);
        if (n == 1 && stride[1] == 1) {
            out.put(step, y, 0, h);
            return;
        }
        transposeRows(y, scratch, n, h);
        if (n == part.mb && stride[1] == n) {
            out.put(step, scratch, 0, n * h);
            return;
        }
        for (int k = 0; k < h; k++) {
            out.put((int) (step + k * stride[1]), scratch, n * k, n);
        }
    }

    /**
     * The rows of {@code part} at step t of {@code eps} ([mb, h, T] with the given strides, any layout) into
     * the rows {@code dst} [rows, h]; with adjacent rows ({@code stride[0] == 1}: DL4J's 'f' layout and the
     * view its {@code reshape2dTo3d} makes) in one copy per unit through {@code scratch} [rows·h].
     */
    static void readStep(FloatBuffer eps, long[] stride, float[] dst, float[] scratch, LanesSteps.Part part,
            int h, int t) {
        int mb = part.mb;
        int n = part.rows;
        int r0 = part.r0;
        if (stride[0] == 1) {
            int step = (int) (t * stride[2] + r0);
            if (n == mb && stride[1] == n) {
                eps.get(step, scratch, 0, n * h);
            } else {
                for (int k = 0; k < h; k++) {
                    eps.get((int) (step + k * stride[1]), scratch, n * k, n);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < h; k++) {
                    dst[i * h + k] = scratch[i + n * k];
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h; k++) {
                dst[i * h + k] = eps.get((int) ((r0 + i) * stride[0] + k * stride[1] + t * stride[2]));
            }
        }
    }

    /** {@code y} [n][h] row-major into {@code scratch} as [h][n]. */
    private static void transposeRows(float[] y, float[] scratch, int n, int h) {
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h; k++) {
                scratch[i + n * k] = y[i * h + k];
            }
        }
    }
}
