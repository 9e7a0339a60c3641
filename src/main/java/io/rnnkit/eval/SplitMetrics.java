package io.rnnkit.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one split, by name ({@code accuracy}, {@code f1}, {@code loss}; {@code mae}, {@code rmse},
 * {@code mase} and the naive baselines' figures), plus the confusion matrix for classification
 * (rows: true class, columns: predicted class).
 *
 * @param undefined metrics that have no value on this split (MAPE on a series holding zeros), each with the reason;
 *                  they are absent from {@code values}
 * @param horizons  for a multi-step forecast, the figures of each step ahead (the first is one step ahead); else empty
 */
public record SplitMetrics(Map<String, Double> values, int[][] confusion, Map<String, String> undefined, List<Horizon> horizons) {
    public SplitMetrics {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        undefined = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(undefined));
        horizons = List.copyOf(horizons);
    }

    public SplitMetrics(Map<String, Double> values, int[][] confusion) {
        this(values, confusion, Map.of(), List.of());
    }

    /** The figures of forecasts {@code step} steps ahead, by name as in {@link #values}. */
    public record Horizon(int step, Map<String, Double> values, Map<String, String> undefined) {
        public Horizon {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            undefined = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(undefined));
        }
    }

    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'"
                    + (undefined.containsKey(name) ? ": " + undefined.get(name) : "; have " + values.keySet()));
        }
        return v;
    }
}
