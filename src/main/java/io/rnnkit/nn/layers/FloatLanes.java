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

    /** Whether a layer computing in {@code dataType} uses the SIMD kernels. */
    static boolean use(DataType dataType) {
        return AVAILABLE && dataType == DataType.FLOAT;
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
}
