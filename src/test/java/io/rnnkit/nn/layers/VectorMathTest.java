package io.rnnkit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VectorMath's σ and tanh: accurate to float precision against the JDK's double functions, and the
 * same to the last bit whether the JVM interprets the code or C2 compiles it (the reason they exist:
 * the Vector API's own EXP and TANH are not).
 */
class VectorMathTest {

    private static final int L = VectorMath.S.length();

    /** Inputs: a uniform sweep of [−100, 100], small values around 0, and the clamping limits. */
    static float[] inputs() {
        float[] x = new float[L * 6000];
        Random random = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 3) {
                case 0 -> (float) (random.nextDouble() * 200 - 100);
                case 1 -> (float) (random.nextGaussian() * 1e-3);
                default -> (float) (random.nextDouble() * 20 - 10);
            };
        }
        x[0] = 0f;
        x[3] = -87.33654f;
        x[6] = 88.72284f;
        x[9] = Float.MAX_VALUE;
        return x;
    }

    /** σ and tanh of every input, side by side. */
    static float[] evaluate(float[] x) {
        float[] out = new float[2 * x.length];
        for (int i = 0; i < x.length; i += L) {
            FloatVector v = FloatVector.fromArray(VectorMath.S, x, i);
            VectorMath.sigmoid(v).intoArray(out, i);
            VectorMath.tanh(v).intoArray(out, x.length + i);
        }
        return out;
    }

    @Test
    void accurateToFloatPrecision() {
        float[] x = inputs();
        float[] y = evaluate(x);
        double worstSigmoid = 0;
        double worstTanh = 0;
        double worstTanhNearZero = 0;
        for (int i = 0; i < x.length; i++) {
            worstSigmoid = Math.max(worstSigmoid, Math.abs(y[i] - LoopActivations.sigmoid(x[i])));
            double tanh = Math.tanh(x[i]);
            worstTanh = Math.max(worstTanh, Math.abs(y[x.length + i] - tanh));
            if (x[i] != 0) {
                worstTanhNearZero = Math.max(worstTanhNearZero, Math.abs(y[x.length + i] - tanh) / Math.abs(tanh));
            }
        }
        // Evaluated in float, the rational function is off by at most 3.3e-7 (near |x| = 5.8, about five of
        // float's 6e-8 steps below 1; TensorFlow's and Eigen's float tanh are this function): a wrong coefficient
        // or clamp is off by orders of magnitude more
        assertTrue(worstSigmoid < 2e-7, "sigmoid absolute error " + worstSigmoid);
        assertTrue(worstTanh < 4e-7, "tanh absolute error " + worstTanh);
        assertTrue(worstTanhNearZero < 3e-7, "tanh relative error " + worstTanhNearZero);
        assertEquals(0f, y[x.length]); // tanh(0) = 0 exactly
        assertEquals(0.5f, y[0]);
        assertEquals(1f, y[6], 6e-8f); // σ(88.7), and no NaN at the extremes
        assertEquals(-1f, y[x.length + 3], 6e-8f);
    }

    /** The interpreter (-Xint, the JDK's per-lane Java code) computes exactly what this JVM's compiled code does. */
    @Test
    void sameBitsInterpretedAndCompiled(@TempDir Path dir) throws IOException, InterruptedException {
        float[] x = inputs();
        float[] compiled = null;
        for (int round = 0; round < 200; round++) { // enough calls for C2 to compile evaluate and the kernels
            compiled = evaluate(x);
        }
        Path out = dir.resolve("interpreted.txt");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xint", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName())).redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile())
                .start();
        assertEquals(0, p.waitFor(), Files.readString(dir.resolve("err.txt")));
        String[] lines = Files.readString(out).strip().split("\n");
        float[] interpreted = new float[lines.length];
        for (int i = 0; i < lines.length; i++) {
            interpreted[i] = Float.intBitsToFloat(Integer.parseInt(lines[i]));
        }
        assertArrayEquals(compiled, interpreted);
    }

    /** Prints the raw bits of {@link #evaluate}'s results, one per line. */
    public static final class Probe {
        public static void main(String[] args) {
            StringBuilder b = new StringBuilder();
            for (float v : evaluate(inputs())) {
                b.append(Float.floatToRawIntBits(v)).append('\n');
            }
            System.out.print(b);
        }
    }
}
