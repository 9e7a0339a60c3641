package io.rnnkit.nn.layers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to the memory of an ND4J array from Java, so that the GRU's elementwise gate
 * arithmetic runs as one fused loop per step instead of about ten native op calls (each call costs
 * microseconds, and ND4J's ops on non-contiguous views are several times slower than on contiguous
 * ones).
 *
 * <p>Indices are absolute element positions relative to the array's first element: the caller
 * computes them from the array's strides (or from the layout it allocated the array with). Values
 * are read and written as {@code double}; FLOAT arrays are widened on read and rounded on write.
 * Only FLOAT and DOUBLE arrays with fewer than 2^31 elements in their buffer are supported.
 */
abstract class RawBuffer {

    /** Position of the array's first element in the underlying buffer. */
    protected final int base;

    private RawBuffer(int base) {
        this.base = base;
    }

    abstract double get(int i);

    abstract void set(int i, double v);

    /** A view of {@code array}'s memory; writes go straight into the array. */
    static RawBuffer of(INDArray array) {
        long offset = array.offset();
        if (offset > Integer.MAX_VALUE || array.data().length() + offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("GRU: arrays above 2^31 elements are not supported, got shape "
                    + java.util.Arrays.toString(array.shape()));
        }
        DataType type = array.dataType();
        if (type == DataType.FLOAT) {
            return new F32(array.data().asNioFloat(), (int) offset);
        }
        if (type == DataType.DOUBLE) {
            return new D64(array.data().asNioDouble(), (int) offset);
        }
        throw new IllegalArgumentException("GRU supports FLOAT and DOUBLE networks only, got " + type);
    }

    private static final class F32 extends RawBuffer {
        private final FloatBuffer b;

        F32(FloatBuffer b, int base) {
            super(base);
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(base + i);
        }

        @Override
        void set(int i, double v) {
            b.put(base + i, (float) v);
        }
    }

    private static final class D64 extends RawBuffer {
        private final DoubleBuffer b;

        D64(DoubleBuffer b, int base) {
            super(base);
            this.b = b;
        }

        @Override
        double get(int i) {
            return b.get(base + i);
        }

        @Override
        void set(int i, double v) {
            b.put(base + i, v);
        }
    }
}
