package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.MissingColumn;
import io.rnnkit.config.MissingConfig;
import io.rnnkit.config.MissingPolicy;
import io.rnnkit.config.YamlNames;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The missing-value layer of a series: which field texts mean "missing" in each column (data.missing.markers),
 * and what becomes of the gaps (data.missing.policy). Read marks a missing value as NaN; {@link #fill} then fills
 * it per its column's policy, learning only from the training part of the series (the mean used by mask, and
 * by forward-fill before the first observation), and says which rows a window must not use.
 */
final class MissingValues {
    /** The markers of one column: texts matched as they are, and numbers matched by value in the file's decimal syntax. */
    record Markers(Set<String> texts, Set<Double> numbers) {
        boolean matches(String field, char decimal) {
            if (texts.contains(field)) {
                return true;
            }
            Double value = numbers.isEmpty() ? null : TextRecords.strictNumber(field, decimal);
            return value != null && numbers.contains(value);
        }
    }

    /**
     * A series with its gaps filled.
     *
     * @param values     the filled values, with a {@code <column>_missing} indicator column appended per mask column
     * @param columns    the names of those columns
     * @param dropRow    rows holding a missing value of a drop column: no window may read them
     * @param readsUpTo  for each row, the last row its filled values were computed from (itself when none reaches ahead)
     * @param filled     values filled per part (train, validation, test) and column
     * @param learnt     the fill values learnt, per numeric column, for the bundle; null when no marker is declared
     */
    record Filled(double[][] values, List<String> columns, boolean[] dropRow, int[] readsUpTo, int[][] filled, MissingFills learnt) {
    }

    private final List<String> columns;
    private final List<Markers> markers;
    private final List<MissingPolicy> policies;
    /** Per column: whether it holds numbers (a one-hot feature never holds a NaN and learns nothing). */
    private final boolean[] numeric;

    private MissingValues(List<String> columns, List<Markers> markers, List<MissingPolicy> policies, boolean[] numeric) {
        this.columns = columns;
        this.markers = markers;
        this.policies = policies;
        this.numeric = numeric;
    }

    /** The markers and policies of the value columns, checked against them (a per-column entry must name one). */
    static MissingValues of(MissingConfig config, List<String> valueColumns, Path file, ConfigLocations where) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < config.columns().size(); i++) {
            String name = config.columns().get(i).column();
            if (!valueColumns.contains(name)) {
                throw where.error("data.missing.columns[" + i + "].column", "'" + name + "' is not among the value columns " + valueColumns
                        + " of " + file + YamlNames.didYouMean(name, valueColumns));
            }
            if (!seen.add(name)) {
                throw where.error("data.missing.columns[" + i + "].column", "'" + name + "' is listed twice");
            }
        }
        List<Markers> markers = new ArrayList<>();
        List<MissingPolicy> policies = new ArrayList<>();
        for (String column : valueColumns) {
            MissingColumn own = config.columns().stream().filter(c -> c.column().equals(column)).findFirst().orElse(null);
            List<String> texts = own != null && own.markers() != null ? own.markers() : config.markers();
            Set<String> exact = new HashSet<>();
            Set<Double> numbers = new HashSet<>();
            for (String marker : texts) {
                Double number = TextRecords.strictNumber(marker.strip(), '.');
                if (number != null) {
                    numbers.add(number);
                } else {
                    exact.add(marker.strip());
                }
            }
            markers.add(new Markers(Set.copyOf(exact), Set.copyOf(numbers)));
            policies.add(own != null && own.policy() != null ? own.policy() : config.policy());
        }
        boolean[] numeric = new boolean[valueColumns.size()];
        java.util.Arrays.fill(numeric, true);
        return new MissingValues(valueColumns, markers, policies, numeric);
    }

    /** Whether the field of value column {@code v} is a missing-value marker. */
    boolean isMissing(int v, String field, char decimal) {
        return markers.get(v).matches(field, decimal);
    }

    /**
     * Fills the NaNs of {@code raw} per policy, learning the fill values from the training part.
     *
     * @param validationStart first row of the validation part (rows before it are the training part)
     * @param testStart       first row of the test part
     */
    Filled fill(double[][] raw, int validationStart, int testStart) {
        double[] means = trainingMeans((t, v) -> raw[t][v], validationStart);
        return fill(raw, means, t -> t >= testStart ? 2 : t >= validationStart ? 1 : 0, learnt(means));
    }

    /** A step's value of a column, for a series held or mapped (the streaming path's). */
    interface Raw {
        double at(int t, int v);
    }

    /** Per column, the mean of its observed values over steps {@code [0, end)} (0 when it has none); one-hot ones left 0. */
    double[] trainingMeans(Raw raw, int end) {
        double[] means = new double[columns.size()];
        for (int v = 0; v < columns.size(); v++) {
            if (numeric[v]) { // a one-hot feature never holds a NaN: its mean is never a fill
                means[v] = trainingMean(raw, v, end);
            }
        }
        return means;
    }

    /** The fill values of the numeric columns for the bundle; null when no marker is declared. */
    MissingFills learnt(double[] means) {
        List<MissingFills.Column> learnt = new ArrayList<>();
        for (int v = 0; v < columns.size(); v++) {
            if (numeric[v]) {
                learnt.add(new MissingFills.Column(columns.get(v), policies.get(v), means[v]));
            }
        }
        boolean declared = markers.stream().anyMatch(m -> !m.texts().isEmpty() || !m.numbers().isEmpty());
        return declared ? new MissingFills(learnt) : null;
    }

    /**
     * Fills the NaNs of a file to predict with the values learnt in training (its bundle's), as training filled its
     * series: the same policies, the training means; every value filled is counted as part 0.
     *
     * @throws DataException naming the step when a value is missing in a column for which the model learnt no fill
     */
    Filled fill(double[][] raw, MissingFills learnt, Path file, long[] lines) {
        double[] means = new double[columns.size()];
        for (int v = 0; v < columns.size(); v++) {
            MissingFills.Column saved = learnt == null ? null : learnt.of(columns.get(v));
            means[v] = saved == null ? Double.NaN : saved.fill();
            for (int t = 0; t < raw.length && saved == null; t++) {
                if (Double.isNaN(raw[t][v])) {
                    throw DataException.at(file, lines[t], "column " + columns.get(v) + ": a missing value, but the model keeps no fill value"
                            + " for it (a bundle saved before format 6, or a column without markers in training): predict needs it filled in");
                }
            }
        }
        return fill(raw, means, t -> 0, learnt);
    }

    private Filled fill(double[][] raw, double[] means, java.util.function.IntUnaryOperator partOf, MissingFills learnt) {
        int n = raw.length;
        Filler filler = filler((t, v) -> raw[t][v], n, means);
        double[][] out = new double[n][];
        boolean[] dropRow = new boolean[n];
        int[] readsUpTo = new int[n];
        for (int t = 0; t < n; t++) {
            out[t] = new double[filler.names().size()];
            filler.step(t, raw[t], out[t], partOf.applyAsInt(t));
            dropRow[t] = filler.dropped();
            readsUpTo[t] = filler.readsUpTo();
        }
        return new Filled(out, filler.names(), dropRow, readsUpTo, filler.filled(), learnt);
    }

    /** The filled columns' names: the columns, then a {@code <column>_missing} indicator per mask column. */
    List<String> filledColumns() {
        List<String> names = new ArrayList<>(columns);
        for (int v = 0; v < columns.size(); v++) {
            if (policies.get(v) == MissingPolicy.MASK) {
                names.add(columns.get(v) + "_missing");
            }
        }
        return List.copyOf(names);
    }

    /** A filler of the {@code n} steps of {@code raw}, in order, with {@code means} where nothing observed is at hand. */
    Filler filler(Raw raw, int n, double[] means) {
        return new Filler(raw, n, means);
    }

    /**
     * Fills a series a step at a time, in order (what {@link #fill} does to a series held, and the streaming path to its
     * mapped steps): each column keeps its last observation and, for linear, the next one; the lookahead reads {@code raw}.
     */
    final class Filler {
        private final Raw raw;
        private final int n;
        private final double[] means;
        private final List<String> names = filledColumns();
        private final List<Integer> masked = new ArrayList<>();
        private final int[][] filled = new int[3][columns.size()];
        private final double[] last;
        private final int[] previous;
        private final int[] next;
        private boolean dropped;
        private int readsUpTo;

        private Filler(Raw raw, int n, double[] means) {
            this.raw = raw;
            this.n = n;
            this.means = means;
            for (int v = 0; v < columns.size(); v++) {
                if (policies.get(v) == MissingPolicy.MASK) {
                    masked.add(v);
                }
            }
            last = means.clone();
            previous = new int[columns.size()];
            java.util.Arrays.fill(previous, -1);
            next = new int[columns.size()];
            java.util.Arrays.fill(next, -1);
        }

        List<String> names() {
            return names;
        }

        /** Values filled per part (train, validation, test) and column, so far. */
        int[][] filled() {
            return filled;
        }

        /** Whether the last step holds a value that policy drop removes. */
        boolean dropped() {
            return dropped;
        }

        /** The last row the last step's filled values were computed from (itself when none reaches ahead). */
        int readsUpTo() {
            return readsUpTo;
        }

        /** Step {@code t}'s values {@code row} filled into {@code out} (as wide as {@link #names}), counted under {@code part}. */
        void step(int t, double[] row, double[] out, int part) {
            int width = columns.size();
            dropped = false;
            readsUpTo = t;
            System.arraycopy(row, 0, out, 0, width);
            java.util.Arrays.fill(out, width, names.size(), 0); // the indicators: 1 where a mask column is filled, below
            for (int v = 0; v < width; v++) {
                if (!Double.isNaN(row[v])) {
                    last[v] = row[v];
                    previous[v] = t;
                    continue;
                }
                filled[part][v]++;
                double mean = means[v];
                switch (policies.get(v)) {
                    case DROP -> {
                        dropped = true;
                        out[v] = mean; // never read by a kept window; a finite value keeps the normalizer's fit clean
                    }
                    case FORWARD_FILL -> out[v] = last[v];
                    case MASK -> {
                        out[v] = mean;
                        out[width + masked.indexOf(v)] = 1;
                    }
                    case LINEAR -> {
                        if (next[v] <= t) {
                            next[v] = t + 1;
                            while (next[v] < n && Double.isNaN(raw.at(next[v], v))) {
                                next[v]++;
                            }
                        }
                        if (next[v] >= n) {
                            out[v] = last[v];
                        } else if (previous[v] < 0) {
                            out[v] = raw.at(next[v], v);
                            readsUpTo = Math.max(readsUpTo, next[v]);
                        } else {
                            double w = (double) (t - previous[v]) / (next[v] - previous[v]);
                            double before = raw.at(previous[v], v);
                            out[v] = before + w * (raw.at(next[v], v) - before);
                            readsUpTo = Math.max(readsUpTo, next[v]);
                        }
                    }
                }
            }
        }
    }

    /**
     * The same markers and policies per feature once categorical columns are one-hot: {@code offsets[v]} is value
     * column v's first feature. A one-hot feature never holds a NaN, so its policy is never applied.
     */
    MissingValues onFeatures(int[] offsets, List<String> features, Categories categories) {
        List<Markers> byFeature = new ArrayList<>();
        List<MissingPolicy> policiesByFeature = new ArrayList<>();
        boolean[] numericFeature = new boolean[features.size()];
        for (int v = 0; v < columns.size(); v++) {
            for (int f = offsets[v]; f < offsets[v + 1]; f++) {
                byFeature.add(markers.get(v));
                policiesByFeature.add(policies.get(v));
                numericFeature[f] = !categories.byColumn().containsKey(columns.get(v));
            }
        }
        return new MissingValues(List.copyOf(features), byFeature, policiesByFeature, numericFeature);
    }

    List<String> columns() {
        return columns;
    }

    /** Mean of the observed values of column v in the training part (0 when it has none). */
    private static double trainingMean(Raw raw, int v, int end) {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < end; t++) {
            double value = raw.at(t, v);
            if (!Double.isNaN(value)) {
                sum += value;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
