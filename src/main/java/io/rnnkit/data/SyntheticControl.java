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
 * Four tasks are made from them: the pattern of a chart (many-to-one), whether the level has shifted up or
 * down yet at each step (many-to-many classes), the noise-free pattern m + pattern(t) at each step
 * (many-to-many regression, "denoising"), and the noise-free chart drawn from its class and parameters
 * (vector → sequence, "synthesis").
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

    /**
     * Vector → sequence: for every chart, the vector {@code [one-hot class (6), a, T, g, x, t3]} (its class and
     * all five pattern parameters, drawn as above whatever the class uses) repeated at each of the
     * {@code length} steps, and the noise-free chart it describes ({@link #drawn}) as the target of each step.
     * The recurrent network so sees one static vector and answers a whole sequence.
     */
    public static SequenceSet synthesis(int samplesPerClass, int length, long seed) {
        Random random = new Random(seed);
        List<double[][]> inputs = new ArrayList<>();
        List<double[][]> targets = new ArrayList<>();
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < samplesPerClass; i++) {
                double[] vector = vector(c, parameters(length, random));
                double[][] repeated = new double[length][];
                java.util.Arrays.fill(repeated, vector);
                inputs.add(repeated);
                targets.add(column(drawn(vector, length)));
            }
        }
        return SequenceSet.regressedPerStep(inputs, targets);
    }

    /** The values of a {@link #synthesis} vector: the six classes, then the five pattern parameters. */
    public static final List<String> SYNTHESIS_FEATURES = java.util.stream.Stream.concat(CLASSES.stream(),
            java.util.stream.Stream.of("amplitude", "period", "gradient", "shift", "shift-start")).toList();

    /** A {@link #synthesis} vector: class {@code kind} one-hot, then the parameters {@code [a, T, g, x, t3]}. */
    public static double[] vector(int kind, double[] parameters) {
        double[] vector = new double[CLASSES.size() + parameters.length];
        vector[kind] = 1;
        System.arraycopy(parameters, 0, vector, CLASSES.size(), parameters.length);
        return vector;
    }

    /**
     * The noise-free chart m + pattern(t), t = 1 … n, that a {@link #synthesis} vector describes: the class with
     * the largest of the first six values, with the parameters after them.
     */
    public static double[] drawn(double[] vector, int n) {
        int kind = 0;
        for (int c = 1; c < CLASSES.size(); c++) {
            kind = vector[c] > vector[kind] ? c : kind;
        }
        double[] clean = new double[n];
        for (int step = 0; step < n; step++) {
            clean[step] = MEAN + pattern(kind, step + 1, java.util.Arrays.copyOfRange(vector, CLASSES.size(), vector.length));
        }
        return clean;
    }

    /** The five pattern parameters [a, T, g, x, t3], drawn from their ranges. */
    private static double[] parameters(int n, Random random) {
        return new double[]{uniform(random, 10, 15), uniform(random, 10, 15), uniform(random, 0.2, 0.5), uniform(random, 7.5, 20),
                uniform(random, n / 3.0, 2 * n / 3.0)};
    }

    /** pattern(t) of class {@code kind} with parameters [a, T, g, x, t3]. */
    private static double pattern(int kind, int t, double[] p) {
        boolean shifted = t >= p[4];
        return switch (kind) {
            case 0 -> 0;
            case 1 -> p[0] * Math.sin(2 * Math.PI * t / p[1]);
            case 2 -> p[2] * t;
            case 3 -> -p[2] * t;
            case 4 -> shifted ? p[3] : 0;
            case 5 -> shifted ? -p[3] : 0;
            default -> throw new IllegalArgumentException("no control-chart pattern " + kind);
        };
    }

    static Chart chart(int kind, int n, Random random) {
        double[] parameters = parameters(n, random);
        double[] clean = new double[n];
        double[] noisy = new double[n];
        int firstShifted = n;
        for (int step = 0; step < n; step++) {
            int t = step + 1;
            if ((kind == 4 || kind == 5) && t >= parameters[4] && firstShifted == n) {
                firstShifted = step;
            }
            clean[step] = MEAN + pattern(kind, t, parameters);
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
