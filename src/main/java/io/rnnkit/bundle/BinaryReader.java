package io.rnnkit.bundle;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * rnnkit's reader of the binary entries ND4J writes ({@code Nd4j.write} arrays, and the fields of a normalizer),
 * over bytes already read and verified. {@code Nd4j.read} allocates whatever length a header claims before
 * reading a byte of data, so a few crafted bytes could ask for gigabytes; here every length is checked against
 * the bytes that are really there before anything is allocated, and only the layouts rnnkit writes are read:
 * dense float or double arrays of rank 1 or 2. Faults are {@link BundleIntegrityException}s naming the entry.
 */
final class BinaryReader {
    /** Nd4j.write's allocation-mode tag in M2.1 (the only one it writes). */
    private static final String MIXED = "MIXED_DATA_TYPES";

    private final ByteBuffer in;
    private final String what;

    BinaryReader(byte[] bytes, String what) {
        this.in = ByteBuffer.wrap(bytes); // big-endian, as DataOutputStream writes
        this.what = what;
    }

    boolean readBoolean() {
        byte b = take(1).get();
        if (b != 0 && b != 1) {
            throw fault("a flag is neither true nor false");
        }
        return b == 1;
    }

    int readInt() {
        return take(4).getInt();
    }

    double readDouble() {
        return take(8).getDouble();
    }

    /** A {@code DataOutputStream.writeUTF} string; rnnkit's are short ASCII tags. */
    String readTag() {
        int length = Short.toUnsignedInt(take(2).getShort());
        byte[] bytes = new byte[length];
        take(length).get(bytes);
        for (byte b : bytes) {
            if (b < 0x20) {
                throw fault("a tag holds non-text bytes");
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** One array as {@code Nd4j.write} lays it out: its shape buffer, then its data buffer. */
    INDArray readArray() {
        long[] shapeInfo = longs(buffer("LONG"));
        int rank = (int) shapeInfo[0];
        if (rank < 1 || rank > 2 || shapeInfo.length != 2 * rank + 4) {
            throw fault("an array of rank " + shapeInfo[0] + " (rnnkit writes vectors and matrices)");
        }
        long[] shape = Arrays.copyOfRange(shapeInfo, 1, 1 + rank);
        long[] stride = Arrays.copyOfRange(shapeInfo, 1 + rank, 1 + 2 * rank);
        char order = (char) shapeInfo[shapeInfo.length - 1];
        if (order != 'c' && order != 'f') {
            throw fault("an array of unknown order");
        }
        long length = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw fault("an array of shape " + Arrays.toString(shape));
            }
            length *= d;
        }
        if (rank == 2 && shape[0] > 1 && shape[1] > 1 && !Arrays.equals(stride, order == 'c'
                ? new long[]{shape[1], 1} : new long[]{1, shape[0]})) {
            throw fault("an array of shape " + Arrays.toString(shape) + " with strides " + Arrays.toString(stride) + " (not dense)");
        }
        if (!MIXED.equals(readTag())) {
            throw fault("an array in a layout rnnkit does not write");
        }
        long count = take(8).getLong();
        String type = readTag();
        if (count != length) {
            throw fault("an array of shape " + Arrays.toString(shape) + " holding " + count + " values");
        }
        return switch (type) {
            case "FLOAT" -> {
                float[] values = new float[(int) checkedCount(count, Float.BYTES)];
                take(values.length * Float.BYTES).asFloatBuffer().get(values);
                yield Nd4j.create(values, shape, order);
            }
            case "DOUBLE" -> {
                double[] values = new double[(int) checkedCount(count, Double.BYTES)];
                take(values.length * Double.BYTES).asDoubleBuffer().get(values);
                yield Nd4j.create(values, shape, order);
            }
            default -> throw fault("an array of type " + Printable.escape(type) + " (rnnkit writes FLOAT and DOUBLE)");
        };
    }

    /** Fails unless every byte was read: trailing bytes mean the entry is not what rnnkit wrote. */
    void end() {
        if (in.hasRemaining()) {
            throw fault(in.remaining() + " bytes after the end of what rnnkit writes there");
        }
    }

    private ByteBuffer buffer(String type) {
        if (!MIXED.equals(readTag())) {
            throw fault("an array in a layout rnnkit does not write");
        }
        long count = take(8).getLong();
        if (!type.equals(readTag()) || count < 1 || count > 2 * 2 + 4) {
            throw fault("an array whose shape is not a vector's or a matrix's");
        }
        return take((int) count * Long.BYTES);
    }

    private static long[] longs(ByteBuffer bytes) {
        long[] out = new long[bytes.remaining() / Long.BYTES];
        bytes.asLongBuffer().get(out);
        return out;
    }

    /** The count, once the bytes for it are known to be there (so nothing is allocated for values that are not). */
    private long checkedCount(long count, int size) {
        if (count > in.remaining() / size) {
            throw fault("an array claims " + count + " values, more than the entry's " + in.remaining() + " bytes hold");
        }
        return count;
    }

    private ByteBuffer take(int length) {
        try {
            if (length < 0 || length > in.remaining()) {
                throw new BufferUnderflowException();
            }
            ByteBuffer slice = in.slice().limit(length);
            in.position(in.position() + length);
            return slice;
        } catch (BufferUnderflowException e) {
            throw fault("it ends in the middle of a value");
        }
    }

    private BundleIntegrityException fault(String problem) {
        return new BundleIntegrityException(what + ": " + problem);
    }
}
