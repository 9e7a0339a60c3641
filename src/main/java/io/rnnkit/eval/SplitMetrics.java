package io.rnnkit.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one split, by name ({@code accuracy}, {@code f1}, {@code loss}; {@code mae}, {@code rmse},
 * {@code mase} and the naive baselines' figures), plus the confusion matrix for classification
 * (rows: true class, columns: predicted class).
 */
public record SplitMetrics(Map<String, Double> values, int[][] confusion) {
    public SplitMetrics {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; have " + values.keySet());
        }
        return v;
    }
}
