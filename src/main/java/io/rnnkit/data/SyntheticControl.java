package io.rnnkit.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The six control-chart patterns of Alcock &amp; Manolopoulos (1999), the process behind the UCI
 * "Synthetic Control Chart Time Series" data. With m = 30, s = 2 and r ~ U(-3, 3) drawn at every step t = 1..n:
 * <pre>
 * normal            y(t) = m + r·s
 * cyclic            y(t) = m + r·s + a·sin(2πt/T)      a ~ U(10, 15), T ~ U(10, 15)
 * increasing trend  y(t) = m + r·s + g·t               g ~ U(0.2, 0.5)
 * decreasing trend  y(t) = m + r·s − g·t
 * upward shift      y(t) = m + r·s + k(t)·x            x ~ U(7.5, 20), k(t) = [t ≥ t3], t3 ~ U(n/3, 2n/3)
 * downward shift    y(t) = m + r·s − k(t)·x
 * </pre>
 */
public final class SyntheticControl {
    public static final List<String> CLASSES = List.of(
            "normal", "cyclic", "increasing-trend", "decreasing-trend", "upward-shift", "downward-shift");

    private static final double MEAN = 30;
    private static final double SPREAD = 2;

    private SyntheticControl() {
    }

    /** {@code samplesPerClass} sequences of each class, class-major, each {@code [length][1]}. */
    public static SequenceSet generate(int samplesPerClass, int length, long seed) {
        Random random = new Random(seed);
        List<double[][]> sequences = new ArrayList<>();
        int[] labels = new int[CLASSES.size() * samplesPerClass];
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < samplesPerClass; i++) {
                sequences.add(pattern(c, length, random));
                labels[c * samplesPerClass + i] = c;
            }
        }
        return SequenceSet.classified(sequences, labels);
    }

    static double[][] pattern(int kind, int n, Random random) {
        double amplitude = uniform(random, 10, 15);
        double period = uniform(random, 10, 15);
        double gradient = uniform(random, 0.2, 0.5);
        double shift = uniform(random, 7.5, 20);
        double shiftStart = uniform(random, n / 3.0, 2 * n / 3.0);
        double[][] y = new double[n][1];
        for (int step = 0; step < n; step++) {
            int t = step + 1;
            double value = MEAN + uniform(random, -3, 3) * SPREAD;
            value += switch (kind) {
                case 0 -> 0;
                case 1 -> amplitude * Math.sin(2 * Math.PI * t / period);
                case 2 -> gradient * t;
                case 3 -> -gradient * t;
                case 4 -> t >= shiftStart ? shift : 0;
                case 5 -> t >= shiftStart ? -shift : 0;
                default -> throw new IllegalArgumentException("no control-chart pattern " + kind);
            };
            y[step][0] = value;
        }
        return y;
    }

    private static double uniform(Random random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
