package io.rnnkit.nn.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A rank-3 array {@code [minibatch, size, T]} of any layout (a permuted NWC view, a slice that
 * {@code Bidirectional} hands down, an 'f' or 'c' array), read or written element by element through
 * its strides, so no copy into a canonical layout is needed.
 */
record Strided3(RawBuffer buf, int s0, int s1, int s2) {

    static Strided3 of(INDArray array) {
        if (array.rank() != 3) {
            throw new IllegalArgumentException("expected a rank 3 array, got shape "
                    + java.util.Arrays.toString(array.shape()));
        }
        long[] s = array.stride();
        return new Strided3(RawBuffer.of(array), (int) s[0], (int) s[1], (int) s[2]);
    }

    int index(int i, int k, int t) {
        return i * s0 + k * s1 + t * s2;
    }

    double get(int i, int k, int t) {
        return buf.get(index(i, k, t));
    }

    void set(int i, int k, int t, double v) {
        buf.set(index(i, k, t), v);
    }
}
