package io.rnnkit.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one split, by name ({@code accuracy}, {@code f1}, {@code loss}; {@code mae}, {@code rmse},
 * {@code mase} and the naive baselines' figures), plus the confusion matrix for classification
 * (rows: true class, columns: predicted class), from which {@link #perClass} reads each class's precision and recall.
 *
 * @param undefined metrics that have no value on this split (MAPE on a series holding zeros), each with the reason;
 *                  they are absent from {@code values}
 * @param horizons  for a multi-step forecast, the figures of each step ahead (the first is one step ahead); else empty
 * @param series    for windows of many series, the figures of each series (whose mean MASE is {@code mase}); else empty
 * @param sources   for text pooled from several files ({@code data.paths}), each file's own figures on its lines of this
 *                  split, by file name in file order; else empty
 */
public record SplitMetrics(Map<String, Double> values, int[][] confusion, Map<String, String> undefined, List<Horizon> horizons,
                           List<Series> series, Map<String, SplitMetrics> sources) {
    public SplitMetrics {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        undefined = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(undefined));
        horizons = List.copyOf(horizons);
        series = List.copyOf(series);
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    public SplitMetrics(Map<String, Double> values, int[][] confusion, Map<String, String> undefined, List<Horizon> horizons,
                        List<Series> series) {
        this(values, confusion, undefined, horizons, series, Map.of());
    }

    /** These figures with each pooled file's own. */
    public SplitMetrics withSources(Map<String, SplitMetrics> bySource) {
        return new SplitMetrics(values, confusion, undefined, horizons, series, bySource);
    }

    public SplitMetrics(Map<String, Double> values, int[][] confusion, Map<String, String> undefined, List<Horizon> horizons) {
        this(values, confusion, undefined, horizons, List.of());
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

    /**
     * One class's figures from the confusion matrix: precision (of the answers naming it, the share right; NaN when
     * none does), recall (of its true labels, the share found; NaN when it has none), their F1
     * ({@code 2·tp / (actual + predicted)}: 0 when it is never found, NaN when it neither occurs nor is predicted)
     * and its support, the true labels it has.
     */
    public record ClassFigures(double precision, double recall, double f1, long support) {
    }

    /** Per class index, its figures; empty for regression. */
    public List<ClassFigures> perClass() {
        if (confusion == null) {
            return List.of();
        }
        List<ClassFigures> out = new java.util.ArrayList<>(confusion.length);
        for (int c = 0; c < confusion.length; c++) {
            long tp = confusion[c][c];
            long actual = 0;
            long predicted = 0;
            for (int j = 0; j < confusion.length; j++) {
                actual += confusion[c][j];
                predicted += confusion[j][c];
            }
            out.add(new ClassFigures(predicted == 0 ? Double.NaN : (double) tp / predicted, actual == 0 ? Double.NaN : (double) tp / actual,
                    actual + predicted == 0 ? Double.NaN : 2.0 * tp / (actual + predicted), actual));
        }
        return out;
    }

    /**
     * The figures of one series of many, over its windows of the split, by name as in {@link #values} ({@code mae},
     * {@code mase}, {@code naive_mase}, …); a figure the series leaves undefined (MASE of a series whose training part
     * never changes from one season to the next) is NaN.
     *
     * @param id its values of the id columns
     */
    public record Series(List<String> id, int windows, Map<String, Double> values) {
        public Series {
            id = List.copyOf(id);
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * On how many series the model's MASE is below a baseline's ({@code naive_} or {@code seasonal_naive_}); -1 when
     * the split has no such baseline or no series. A series whose MASE is undefined counts as not below.
     */
    public long seriesBelow(String baseline) {
        if (series.isEmpty() || !series.get(0).values().containsKey(baseline + "mase")) {
            return -1;
        }
        return series.stream().filter(s -> s.values().get("mase") < s.values().get(baseline + "mase")).count();
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
