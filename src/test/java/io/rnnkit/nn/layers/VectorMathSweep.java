package io.rnnkit.nn.layers;

import jdk.incubator.vector.FloatVector;

/**
 * Every float input of {@link VectorMath#tanh} in [2⁻²⁰, 9] and of {@link VectorMath#sigmoid} in [−20, 20], against
 * the JDK's double functions: the worst absolute and relative errors, with the input where each occurs. The bounds
 * in {@link VectorMathTest} come from this sweep, not from a sample. Both functions are odd/shifted-odd rational
 * functions evaluated lane by lane with exactly rounded +, ×, ÷ (no fused operations), so a result depends on the
 * input alone, never on the lane count or the CPU: one sweep holds for every machine.
 *
 * <pre>
 * mvn -B -q -DskipTests test-compile
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes io.rnnkit.nn.layers.VectorMathSweep
 * </pre>
 * (about two minutes on one core.) Below 2⁻²⁰ tanh(x) rounds to x in float; the rational function there is
 * A1·x/B0 with A1/B0 = 1 − 1.3e-7, measured in {@link VectorMathTest#tinyInputs}.
 */
public final class VectorMathSweep {
    private VectorMathSweep() {
    }

    /** The worst errors of one function over a range of inputs. */
    record Worst(double absolute, float atAbsolute, double relative, float atRelative) {
        @Override
        public String toString() {
            return String.format("absolute %.4g at %s, relative %.4g at %s", absolute, atAbsolute, relative, atRelative);
        }
    }

    public static void main(String[] args) {
        System.out.println("tanh    [2^-20, 9]: " + sweep(Math.scalb(1f, -20), 9f, true));
        System.out.println("sigmoid [-20, 20]:  " + sweep(-20f, 20f, false));
    }

    /** Every float from {@code from} to {@code to}, in steps of one ulp. */
    static Worst sweep(float from, float to, boolean tanh) {
        int lanes = VectorMath.S.length();
        float[] x = new float[lanes * 4096];
        float[] y = new float[x.length];
        double worstAbs = 0;
        double worstRel = 0;
        float atAbs = Float.NaN;
        float atRel = Float.NaN;
        float next = from;
        boolean done = false;
        while (!done) {
            int n = 0;
            while (n < x.length) {
                x[n++] = next;
                if (next >= to) {
                    done = true;
                    break;
                }
                next = Math.nextUp(next);
            }
            for (int i = n; i < x.length; i++) {
                x[i] = to;
            }
            for (int i = 0; i < x.length; i += lanes) {
                FloatVector v = FloatVector.fromArray(VectorMath.S, x, i);
                (tanh ? VectorMath.tanh(v) : VectorMath.sigmoid(v)).intoArray(y, i);
            }
            for (int i = 0; i < n; i++) {
                double exact = tanh ? Math.tanh(x[i]) : LoopActivations.sigmoid(x[i]);
                double abs = Math.abs(y[i] - exact);
                double rel = abs / Math.abs(exact);
                if (abs > worstAbs) {
                    worstAbs = abs;
                    atAbs = x[i];
                }
                if (rel > worstRel) {
                    worstRel = rel;
                    atRel = x[i];
                }
            }
        }
        return new Worst(worstAbs, atAbs, worstRel, atRel);
    }
}
