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
 * VectorMath's σ and tanh: accurate to float precision against the JDK's double functions, the same bits from a
 * lane and from the scalar twin that computes a row's tail, and the same to the last bit whether the JVM
 * interprets the code or C2 compiles it (the reason they exist: the Vector API's own EXP and TANH are not).
 *
 * <p>No input depends on the lane count (which differs between CPUs and with {@code -XX:MaxVectorSize}); every
 * array's length is a multiple of 16, the widest float vector. The error bounds are those of the functions, from
 * {@link VectorMathSweep}'s sweep of every float input, not from a sample.
 */
class VectorMathTest {

    private static final int L = VectorMath.S.length();

    /** Worst errors over every float input (VectorMathSweep: tanh in [2⁻²⁰, 9], σ in [−20, 20]), rounded up. */
    private static final double TANH_ABSOLUTE = 4.103e-7;
    private static final double TANH_RELATIVE = 4.103e-7;
    private static final double SIGMOID_ABSOLUTE = 2.272e-7;
    /** Where the sweep found them: the sample below includes these inputs, so the bounds are reached, not guessed. */
    private static final float TANH_WORST = 5.827876f;
    private static final float SIGMOID_WORST = 11.5491f;

    /** Inputs: a uniform sweep of [−100, 100], small values around 0, the clamping limits and the worst inputs. */
    static float[] inputs() {
        float[] x = new float[16 * 6000];
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
        x[12] = TANH_WORST;
        x[15] = -TANH_WORST;
        x[18] = SIGMOID_WORST;
        return x;
    }

    /** σ and tanh of every input, side by side, in lanes of this JVM's width. */
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
        double worstTanhRelative = 0;
        for (int i = 0; i < x.length; i++) {
            worstSigmoid = Math.max(worstSigmoid, Math.abs(y[i] - LoopActivations.sigmoid(x[i])));
            double tanh = Math.tanh(x[i]);
            worstTanh = Math.max(worstTanh, Math.abs(y[x.length + i] - tanh));
            if (x[i] != 0) {
                worstTanhRelative = Math.max(worstTanhRelative, Math.abs(y[x.length + i] - tanh) / Math.abs(tanh));
            }
        }
        // The bounds hold for every float (the sweep) and are reached at the worst inputs, which the sample holds:
        // a wrong coefficient or clamp is off by orders of magnitude more, a reordered operation by a few ulps
        assertTrue(worstSigmoid <= SIGMOID_ABSOLUTE, "sigmoid absolute error " + worstSigmoid);
        assertTrue(worstTanh <= TANH_ABSOLUTE, "tanh absolute error " + worstTanh);
        assertTrue(worstTanhRelative <= TANH_RELATIVE, "tanh relative error " + worstTanhRelative);
        assertTrue(worstTanh > 0.99 * TANH_ABSOLUTE && worstSigmoid > 0.99 * SIGMOID_ABSOLUTE,
                "the worst inputs of the sweep no longer give its worst errors: run VectorMathSweep again");
        assertEquals(0f, y[x.length]); // tanh(0) = 0 exactly
        assertEquals(0.5f, y[0]);
        assertEquals(1f, y[6], 6e-8f); // σ(88.7), and no NaN at the extremes
        assertEquals(-1f, y[x.length + 3], 6e-8f);
    }

    /**
     * Below 2⁻²⁰, where the sweep stops, the function is x·A1/B0 (x² vanishes beside the constants): off by
     * |A1/B0 − 1| = 1.281e-7 plus two float roundings (2·2⁻²⁴), at most 2.5e-7 of tanh(x) ≈ x, down to 2⁻⁹⁹
     * (below about 2⁻¹¹⁸, A1·x leaves float's normal range and only the absolute error stays small).
     */
    @Test
    void tinyInputs() {
        float[] x = new float[16 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0 ? 1 : -1) * Math.scalb(1f + i / (float) x.length, -20 - i % 80);
        }
        float[] y = evaluate(x);
        for (int i = 0; i < x.length; i++) {
            double relative = Math.abs(y[x.length + i] - Math.tanh(x[i])) / Math.abs(x[i]);
            assertTrue(relative <= 2.5e-7, "tanh(" + x[i] + ") relative error " + relative);
        }
    }

    /**
     * A row's columns past its last whole vector go through the scalar twins: they must give the lanes' bits for
     * every input, or a network's result would change with the CPU's vector width.
     */
    @Test
    void scalarTwinsGiveTheLanesBits() {
        float[] x = inputs();
        float[] y = evaluate(x);
        float[] slopes = new float[2 * x.length];
        for (int i = 0; i < x.length; i += L) {
            FloatVector v = FloatVector.fromArray(VectorMath.S, y, i);
            VectorMath.sigmoidSlope(v).intoArray(slopes, i);
            VectorMath.tanhSlope(FloatVector.fromArray(VectorMath.S, y, x.length + i)).intoArray(slopes, x.length + i);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(VectorMath.sigmoid(x[i])), "σ(" + x[i] + ")");
            assertEquals(Float.floatToRawIntBits(y[x.length + i]), Float.floatToRawIntBits(VectorMath.tanh(x[i])),
                    "tanh(" + x[i] + ")");
            assertEquals(Float.floatToRawIntBits(slopes[i]), Float.floatToRawIntBits(VectorMath.sigmoidSlope(y[i])));
            assertEquals(Float.floatToRawIntBits(slopes[x.length + i]),
                    Float.floatToRawIntBits(VectorMath.tanhSlope(y[x.length + i])));
        }
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
