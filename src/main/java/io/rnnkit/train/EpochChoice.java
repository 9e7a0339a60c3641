package io.rnnkit.train;

import io.rnnkit.config.Metric;

import java.util.List;

/**
 * Which epoch is best on a validation curve: the metric smoothed by a trailing moving average (a small validation
 * split makes single epochs noisy: at accuracy 1.0 for many epochs, the best raw epoch is a coin flip), ties broken by
 * the equally smoothed validation loss when smoothing is on. The one rule for the training loop and for cross-validation's mean curve.
 */
public final class EpochChoice {
    /** Two smoothed values closer than this (relative) are equal: sums of the same accuracies in another order differ by an ulp. */
    private static final double TIE = 1e-12;

    private EpochChoice() {
    }

    /** The mean of {@code values[end - window + 1 .. end]}, fewer values at the start of the curve. */
    public static double smoothed(double[] values, int end, int window) {
        int from = Math.max(0, end - window + 1);
        double sum = 0;
        for (int i = from; i <= end; i++) {
            sum += values[i];
        }
        return sum / (end - from + 1);
    }

    /**
     * True when an epoch with smoothed metric {@code value} and smoothed loss {@code loss} beats the best so far: a better
     * metric, or with smoothing ({@code window} above 1) an equal one with a lower loss. Without smoothing an equal metric
     * keeps the earlier epoch, as rnnkit always chose (every shipped figure was measured so).
     */
    public static boolean improves(Metric metric, int window, double value, double loss, double bestValue, double bestLoss) {
        if (window <= 1) {
            return metric.better(value, bestValue);
        }
        if (metric.better(value, bestValue)) {
            return !ties(value, bestValue) || loss < bestLoss || Double.isNaN(bestLoss);
        }
        return ties(value, bestValue) && loss < bestLoss;
    }

    private static boolean ties(double a, double b) {
        return Math.abs(a - b) <= TIE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /**
     * The best epoch (1-based) of a curve of the metric and of the loss, epoch by epoch.
     *
     * @param window the moving average's length (1: none)
     */
    public static int best(Metric metric, double[] values, double[] losses, int window) {
        int best = -1;
        double bestValue = Double.NaN;
        double bestLoss = Double.NaN;
        for (int e = 0; e < values.length; e++) {
            double value = smoothed(values, e, window);
            double loss = smoothed(losses, e, window);
            if (improves(metric, window, value, loss, bestValue, bestLoss)) {
                best = e + 1;
                bestValue = value;
                bestLoss = loss;
            }
        }
        return best;
    }

    /** Epoch by epoch, the mean of the curves over their common length (a fold stopped early ends the mean there). */
    public static double[] mean(List<double[]> curves) {
        int length = curves.stream().mapToInt(c -> c.length).min().orElse(0);
        double[] mean = new double[length];
        for (double[] curve : curves) {
            for (int e = 0; e < length; e++) {
                mean[e] += curve[e] / curves.size();
            }
        }
        return mean;
    }
}
