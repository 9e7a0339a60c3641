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
 * Three tasks are made from them: the pattern of a chart (many-to-one), whether the level has shifted up or
 * down yet at each step (many-to-many classes), and the noise-free pattern m + pattern(t) at each step
 * (many-to-many regression, "denoising").
 */
public final class SyntheticControl {
    public static final List<String> CLASSES = List.of(
            "normal", "cyclic", "increasing-trend", "decreasing-trend", "upward-shift", "downward-shift");
    public static final List<String> SHIFT_CLASSES = List.of("steady", "shifted-up", "shifted-down");

    private static final double MEAN = 30;
    private static final double SPREAD = 2;

    private SyntheticControl() {
    }

    /** One chart: its noisy values, noise-free values and, for the shift patterns, the first shifted step (else n). */
    record Chart(double[] noisy, double[] clean, int shiftStep) {
    }

    /** {@code samplesPerClass} sequences of each class, class-major, each {@code [length][1]}. */
    public static SequenceSet generate(int samplesPerClass, int length, long seed) {
        Random random = new Random(seed);
        List<double[][]> sequences = new ArrayList<>();
        int[] labels = new int[CLASSES.size() * samplesPerClass];
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < samplesPerClass; i++) {
                sequences.add(column(chart(c, length, random).noisy()));
                labels[c * samplesPerClass + i] = c;
            }
        }
        return SequenceSet.classified(sequences, labels);
    }

    /**
     * Normal, upward-shift and downward-shift charts in equal numbers; the label of each step is
     * {@code steady} before the shift and {@code shifted-up} / {@code shifted-down} from it on.
     */
    public static SequenceSet shiftDetection(int samplesPerClass, int length, long seed) {
        Random random = new Random(seed);
        int[] kinds = {0, 4, 5};
        List<double[][]> sequences = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        for (int k = 0; k < kinds.length; k++) {
            for (int i = 0; i < samplesPerClass; i++) {
                Chart chart = chart(kinds[k], length, random);
                sequences.add(column(chart.noisy()));
                int[] steps = new int[length];
                for (int t = chart.shiftStep(); t < length; t++) {
                    steps[t] = k;
                }
                labels.add(steps);
            }
        }
        return SequenceSet.classifiedPerStep(sequences, labels);
    }

    /** All six patterns; the target at every step is the chart without its noise. */
    public static SequenceSet denoising(int samplesPerClass, int length, long seed) {
        Random random = new Random(seed);
        List<double[][]> sequences = new ArrayList<>();
        List<double[][]> targets = new ArrayList<>();
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < samplesPerClass; i++) {
                Chart chart = chart(c, length, random);
                sequences.add(column(chart.noisy()));
                targets.add(column(chart.clean()));
            }
        }
        return SequenceSet.regressedPerStep(sequences, targets);
    }

    static Chart chart(int kind, int n, Random random) {
        double amplitude = uniform(random, 10, 15);
        double period = uniform(random, 10, 15);
        double gradient = uniform(random, 0.2, 0.5);
        double shift = uniform(random, 7.5, 20);
        double shiftStart = uniform(random, n / 3.0, 2 * n / 3.0);
        double[] clean = new double[n];
        double[] noisy = new double[n];
        int firstShifted = n;
        for (int step = 0; step < n; step++) {
            int t = step + 1;
            boolean shifted = t >= shiftStart;
            double pattern = switch (kind) {
                case 0 -> 0;
                case 1 -> amplitude * Math.sin(2 * Math.PI * t / period);
                case 2 -> gradient * t;
                case 3 -> -gradient * t;
                case 4 -> shifted ? shift : 0;
                case 5 -> shifted ? -shift : 0;
                default -> throw new IllegalArgumentException("no control-chart pattern " + kind);
            };
            if ((kind == 4 || kind == 5) && shifted && firstShifted == n) {
                firstShifted = step;
            }
            clean[step] = MEAN + pattern;
            noisy[step] = clean[step] + uniform(random, -3, 3) * SPREAD;
        }
        return new Chart(noisy, clean, firstShifted);
    }

    private static double[][] column(double[] values) {
        double[][] out = new double[values.length][1];
        for (int t = 0; t < values.length; t++) {
            out[t][0] = values[t];
        }
        return out;
    }

    private static double uniform(Random random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
