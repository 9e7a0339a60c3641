package io.rnnkit.nn.layers;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleRawIndexer;
import org.bytedeco.javacpp.indexer.FloatRawIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to the memory of an ND4J array from Java, so that the GRU's elementwise gate
 * arithmetic runs as one fused loop per step instead of about ten native op calls (each call costs
 * microseconds, and ND4J's ops on non-contiguous views are several times slower than on contiguous
 * ones).
 *
 * <p>Access goes through JavaCPP's raw indexers (the library ND4J itself sits on): one bounds check
 * and one machine load or store per element, several times faster than NIO buffer views. Indices
 * are element positions relative to the array's first element, computed by the caller from the
 * array's strides (or the layout it allocated the array with); an index outside the array's span
 * throws instead of touching other memory. Values are read and written as {@code double}; FLOAT
 * arrays are widened on read and rounded on write. Only FLOAT and DOUBLE arrays are supported.
 */
final class RawBuffer {

    /** Exactly one of the two is set, by the array's data type. */
    private final FloatRawIndexer floats;
    private final DoubleRawIndexer doubles;

    private RawBuffer(FloatRawIndexer floats, DoubleRawIndexer doubles) {
        this.floats = floats;
        this.doubles = doubles;
    }

    double get(long i) {
        return floats != null ? floats.getRaw(i) : doubles.getRaw(i);
    }

    void set(long i, double v) {
        if (floats != null) {
            floats.putRaw(i, (float) v);
        } else {
            doubles.putRaw(i, v);
        }
    }

    /** A view of {@code array}'s memory; writes go straight into the array. */
    static RawBuffer of(INDArray array) {
        long span = span(array);
        Pointer first = array.data().addressPointer(); // element 0 of this array (offset applied)
        DataType type = array.dataType();
        if (type == DataType.FLOAT) {
            return new RawBuffer(new FloatRawIndexer(new FloatPointer(first).capacity(span).limit(span)), null);
        }
        if (type == DataType.DOUBLE) {
            return new RawBuffer(null, new DoubleRawIndexer(new DoublePointer(first).capacity(span).limit(span)));
        }
        throw new IllegalArgumentException("GRU supports FLOAT and DOUBLE networks only, got " + type);
    }

    /** Number of elements from the first to the last one the array's shape and strides reach. */
    static long span(INDArray array) {
        long[] shape = array.shape();
        long[] stride = array.stride();
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return 0;
            }
            if (stride[d] < 0) {
                throw new IllegalArgumentException("GRU: negative strides are not supported, got "
                        + Arrays.toString(stride));
            }
            last += (shape[d] - 1) * stride[d];
        }
        return last + 1;
    }
}
