package io.rnnkit.config;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.List;

@Doc("The output head of a direct forecaster (format: series): point values, or quantiles or a Gaussian for prediction intervals.")
public record HeadConfig(
        @Doc("point: one value per horizon step (mean squared error); quantile: the declared quantiles per step (pinball loss,"
                + " quantiles cannot cross; the 0.5 quantile is the point forecast); gaussian: a mean and a scale per step"
                + " (negative log-likelihood; the mean is the point forecast).") @Default("point") HeadKind type,
        @Doc("Quantile levels, strictly increasing in (0, 1): what a quantile head learns, and the quantiles a gaussian head"
                + " reports; each pair (p, 1 − p) is a central interval of coverage 1 − 2p (0.1 and 0.9: the 80 % interval).")
        @Default("[0.1, 0.5, 0.9]") @Range(min = 1, max = 99) List<Double> levels) {

    /** The head of configs that say nothing: one value per step. */
    public static final HeadConfig POINT = new HeadConfig(HeadKind.POINT, List.of(0.1, 0.5, 0.9));

    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

    public HeadConfig {
        levels = levels == null ? null : List.copyOf(levels);
        Constraints.check(HeadConfig.class, type, levels);
        for (int i = 0; i < levels.size(); i++) {
            double p = levels.get(i);
            if (!(p > 0 && p < 1) || i > 0 && p <= levels.get(i - 1)) {
                throw new IllegalArgumentException("levels: must increase strictly within (0, 1), got " + levels);
            }
        }
        if (type == HeadKind.QUANTILE && !levels.contains(0.5)) {
            throw new IllegalArgumentException("levels: a quantile head's point forecast is its median: include 0.5, got " + levels);
        }
    }

    public boolean probabilistic() {
        return type != HeadKind.POINT;
    }

    /** Network outputs per target value (horizon step). */
    public int groupSize() {
        return switch (type) {
            case POINT -> 1;
            case QUANTILE -> levels.size();
            case GAUSSIAN -> 2;
        };
    }

    public double[] levelArray() {
        return levels.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The point forecast of one target's group of outputs: the median's column, or the Gaussian's mean. */
    public double point(float[] row, int target) {
        int base = target * groupSize();
        return type == HeadKind.QUANTILE ? row[base + levels.indexOf(0.5)] : row[base];
    }

    /** The quantile at each level of one target's group, in the network's scale: the outputs, or mean + Φ⁻¹(p)·scale. */
    public double[] quantiles(float[] row, int target) {
        int base = target * groupSize();
        double[] out = new double[levels.size()];
        for (int l = 0; l < out.length; l++) {
            out[l] = type == HeadKind.QUANTILE ? row[base + l] : row[base] + STANDARD.inverseCumulativeProbability(levels.get(l)) * row[base + 1];
        }
        return out;
    }
}
