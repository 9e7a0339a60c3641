package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.SplitConfig;
import io.rnnkit.config.WindowConfig;
import io.rnnkit.config.WindowReference;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a series {@code y[0..N)} into windows: inputs {@code y[s .. s+lookback)}, targets the target column
 * at {@code [s+lookback .. s+lookback+horizon)}, starts {@code stride} apart. The split is chronological
 * and made on the series itself: the last {@code test} fraction of the steps is the test part, the
 * {@code validation} fraction before it the validation part. A window belongs to the part that holds all
 * its targets and is dropped when its targets straddle two parts, so no target is ever seen in training
 * that is evaluated later. Inputs may reach back into an earlier part: that is history a forecaster has.
 * The first window's first target lies a whole season ({@code seasonalPeriod}) or a lookback into the series,
 * whichever is longer: the seasonal-naive baseline is defined only where a full season precedes the forecast
 * origin, and the model and both baselines are scored on the same windows.
 */
public final class ForecastWindowing {
    private ForecastWindowing() {
    }

    /**
     * A series' steps as the windowing reads them: rows held in memory, or read from the streaming path's mapped cache
     * ({@link SeriesCache}), where a window's rows are cut from the file when asked for.
     */
    interface Rows {
        int length();

        /** Feature {@code f} at step {@code t}. */
        double value(int t, int f);

        /** The input rows of a window, {@code [start, start + length)}, each a copy. */
        double[][] window(int start, int length);

        /** The segment of step {@code t}: steps of different segments have a gap between them that was not filled. */
        int segment(int t);

        /** The rows of {@code series}, a window's as {@code layout} reads them (known-future covariates led). */
        static Rows of(double[][] series, int[] segments, Covariates layout) {
            return new Rows() {
                @Override
                public int segment(int t) {
                    return segments[t];
                }

                @Override
                public int length() {
                    return series.length;
                }

                @Override
                public double value(int t, int f) {
                    return series[t][f];
                }

                @Override
                public double[][] window(int start, int length) {
                    return layout.window(series, start, length);
                }
            };
        }
    }

    /**
     * Rows a window must not read, and targets it must not have.
     *
     * Each is a function of the row, held (in memory) or read from the streaming path's mapped steps; null for a series
     * with no missing value.
     *
     * @param targetMissing rows whose target value is missing
     * @param dropRow       rows holding a value that policy drop removes
     * @param readsUpTo     the last row each row's filled values were computed from
     * @param filled        values filled per part and column, and the column names, for the report
     */
    record Gaps(java.util.function.IntPredicate targetMissing, java.util.function.IntPredicate dropRow,
                java.util.function.IntUnaryOperator readsUpTo, int[][] filled, List<String> columns, List<String> notes) {
        /** The gaps of a series held in memory. */
        static Gaps of(boolean[] targetMissing, boolean[] dropRow, int[] readsUpTo, int[][] filled, List<String> columns, List<String> notes) {
            return new Gaps(t -> targetMissing[t], t -> dropRow[t], t -> readsUpTo[t], filled, columns, notes);
        }
    }

    /** First rows of the validation and the test part of a series of n steps. */
    public static int[] partStarts(int n, SplitConfig split) {
        int testStart = n - (int) Math.round(split.test() * n);
        return new int[]{testStart - (int) Math.round(split.validation() * n), testStart};
    }

    /** Windows of a series as read, without missing values (tests). */
    static SplitData split(SeriesLayout.Series read, WindowConfig window, int seasonalPeriod, SplitConfig split,
                           ConfigLocations where, String fingerprint) {
        return split(read.values(), read.target(), read.segments(), window, seasonalPeriod, split, where, read.columns(), fingerprint,
                null, read.categories(), null, read.report(), null);
    }

    /**
     * @param segments per row its segment: windows never cross from one to the next (a gap that was not filled lies between)
     * @param gaps     the missing values and what their filling did, or null when there were none to fill
     * @param fills    the fill values the missing-value policies learnt (saved in the bundle), or null
     * @param read     how the series was made regular and its categories read, for the report
     * @param covariates where the covariates lie among the features, their known-future ones read {@code horizon} steps
     *                   ahead of each input step; null without covariates
     */
    static SplitData split(double[][] series, int target, int[] segments, WindowConfig window, int seasonalPeriod, SplitConfig split,
                           ConfigLocations where, List<String> columns, String fingerprint, Gaps gaps, Categories categories,
                           MissingFills fills, java.util.Map<String, Object> read, Covariates covariates) {
        Covariates layout = covariates == null ? Covariates.none(columns.size()) : covariates;
        double[] column = new double[series.length];
        for (int t = 0; t < series.length; t++) {
            column[t] = series[t][target];
        }
        return split(Rows.of(series, segments, layout), target, window, seasonalPeriod, split, where, columns, fingerprint, gaps, categories,
                fills, read, covariates, column, null);
    }

    /**
     * {@link #split(double[][], int, int[], WindowConfig, int, SplitConfig, ConfigLocations, List, String, Gaps, Categories,
     * MissingFills, java.util.Map, Covariates)} of rows held or mapped.
     *
     * @param column   the target column held, or null when it is read through {@code mapped}
     * @param mapped   the target column read from the streaming cache, or null
     */
    static SplitData split(Rows series, int target, WindowConfig window, int seasonalPeriod, SplitConfig split,
                           ConfigLocations where, List<String> columns, String fingerprint, Gaps gaps, Categories categories,
                           MissingFills fills, java.util.Map<String, Object> read, Covariates covariates, double[] column,
                           java.util.function.IntToDoubleFunction mapped) {
        int n = series.length();
        int[] starts = partStarts(n, split);
        int validationStart = starts[0];
        int testStart = starts[1];
        // every window has a full season before its first target, so the seasonal-naive baseline is defined on
        // every window and the model and both baselines are scored on the same windows
        int history = Math.max(window.lookback(), seasonalPeriod);
        if (validationStart <= history + window.horizon()) {
            throw where.error("data.window.lookback", "the training part of the series (" + validationStart + " of " + n
                    + " steps) is too short for one window of lookback " + window.lookback() + " + horizon " + window.horizon()
                    + (history > window.lookback() ? " after the first season (" + seasonalPeriod + " steps)" : ""));
        }
        // a window is kept as its origin only; its inputs and targets are cut from the series when asked for (windowsAt)
        List<List<Integer>> origins = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int[] dropped = new int[3];
        int[] targetsMissing = new int[3];
        for (int s = history - window.lookback(); s + window.lookback() + window.horizon() <= n; s += window.stride()) {
            int first = s + window.lookback();
            int last = first + window.horizon() - 1;
            int part = partOf(first, validationStart, testStart);
            // the seasonal-naive forecast reads a season before the first target: that too must lie in the window's segment,
            // since across a cut gap a row count is no longer a time span
            if (part != partOf(last, validationStart, testStart)
                    || series.segment(Math.min(s, first - seasonalPeriod)) != series.segment(last)) {
                continue; // targets straddle two parts, or the window crosses a gap that was not filled
            }
            if (gaps != null && any(gaps.targetMissing(), first, last + 1)) {
                targetsMissing[part]++;
                continue;
            }
            if (gaps != null && (any(gaps.dropRow(), s, first) || readsAhead(gaps.readsUpTo(), s, first))) {
                dropped[part]++;
                continue;
            }
            origins.get(part).add(first);
        }
        String[] names = {"train", "validation", "test"};
        double[] fractions = {split.train(), split.validation(), split.test()};
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            if (origins.get(p).isEmpty() && fractions[p] > 0) {
                throw where.error("data.split." + names[p], "no complete window of lookback " + window.lookback() + " + horizon "
                        + window.horizon() + " fits in the " + names[p] + " part of the series; give it a larger fraction");
            }
            sets[p] = windowsAt(series, target, origins.get(p).stream().mapToInt(Integer::intValue).toArray(), window);
        }
        List<String> horizonNames = new ArrayList<>();
        for (int h = 1; h <= window.horizon(); h++) {
            horizonNames.add("t+" + h);
        }
        double scale = naiveScale(series, target, seasonalPeriod, validationStart, gaps == null ? null : gaps.targetMissing());
        return new SplitData(sets[0], sets[1], sets[2], horizonNames, columns, fingerprint,
                new SplitData.Forecast(target, seasonalPeriod, scale, window.reference(), window.strategy(), column,
                        report(gaps, read, names, dropped, targetsMissing), categories, null, null, null, fills, covariates, mapped), null);
    }

    /**
     * Windows of a series by their origins (the step of each one's first target), cut when asked for: the set holds the
     * series once and an int per window rather than {@code lookback} steps per window (docs/architecture.md, "Forecast
     * windows").
     */
    static SequenceSet windowsAt(double[][] series, int target, int[] origins, WindowConfig window, Covariates layout) {
        return windowsAt(Rows.of(series, new int[series.length], layout), target, origins, window);
    }

    private static SequenceSet windowsAt(Rows series, int target, int[] origins, WindowConfig window) {
        int lookback = window.lookback();
        int horizon = window.horizon();
        List<double[][]> inputs = new SequenceCache.View<>(origins, first -> series.window(first - lookback, lookback));
        List<double[][]> targets = new SequenceCache.View<>(origins, first -> {
            double[] out = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                out[h] = series.value(first + h, target);
            }
            return new double[][]{out};
        });
        return SequenceSet.computed(inputs, targets, false, origins, lookback, lookback);
    }

    private static SeriesReport report(Gaps gaps, java.util.Map<String, Object> read, String[] names, int[] dropped, int[] targetsMissing) {
        if (gaps == null) {
            return read == null || read.isEmpty() ? null : new SeriesReport(java.util.Map.of(), List.of(), read);
        }
        java.util.Map<String, java.util.Map<String, Object>> splits = new java.util.LinkedHashMap<>();
        for (int p = 0; p < 3; p++) {
            java.util.Map<String, Integer> filled = new java.util.LinkedHashMap<>();
            for (int c = 0; c < gaps.columns().size(); c++) {
                if (gaps.filled()[p][c] > 0) {
                    filled.put(gaps.columns().get(c), gaps.filled()[p][c]);
                }
            }
            java.util.Map<String, Object> counts = new java.util.LinkedHashMap<>();
            counts.put("values", filled);
            counts.put("windowsDropped", dropped[p]);
            counts.put("targetsMissing", targetsMissing[p]);
            splits.put(names[p], counts);
        }
        return new SeriesReport(splits, gaps.notes(), read);
    }

    private static boolean any(java.util.function.IntPredicate rows, int from, int to) {
        if (rows == null) {
            return false; // none (a series without missing values)
        }
        for (int t = from; t < to; t++) {
            if (rows.test(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a window's inputs [from, to) hold a value filled from a row at or after {@code to} (a look into its targets). */
    private static boolean readsAhead(java.util.function.IntUnaryOperator readsUpTo, int from, int to) {
        if (readsUpTo == null) {
            return false;
        }
        for (int t = from; t < to; t++) {
            if (readsUpTo.applyAsInt(t) >= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * The windows as the network sees them: each input value measured against the window's last observation of
     * its feature, each target against the last observation of the target feature (see {@link WindowReference}).
     */
    public static SequenceSet relative(SequenceSet windows, SplitData.Forecast forecast) {
        if (forecast.reference() == WindowReference.NONE) {
            return windows;
        }
        // computed when asked for, like the windows themselves: a minibatch's are measured as it is made into tensors
        int[] all = java.util.stream.IntStream.range(0, windows.size()).toArray();
        List<double[][]> inputs = new SequenceCache.View<>(all, i -> {
            double[][] window = windows.sequence(i);
            return relativeInputs(window, forecast.reference(), forecast.referenced(window[window.length - 1].length));
        });
        List<double[][]> targets = new SequenceCache.View<>(all, i -> {
            double[][] window = windows.sequence(i);
            double[] last = window[window.length - 1];
            double[] target = windows.target(i);
            double[] out = new double[target.length];
            for (int h = 0; h < target.length; h++) {
                out[h] = measure(target[h], last[forecast.targetFeature()], forecast.reference());
            }
            return new double[][]{out};
        });
        return SequenceSet.computed(inputs, targets, false, null, windows.minLength(), windows.maxLength());
    }

    /**
     * Windows as a recursive forecaster is trained on them (teacher forcing): each window's observations followed
     * by its targets but the last, {@code y[s .. s+L+H−1)}, with the next observation {@code y[t+1]} as the target
     * of every step t. The network so learns one-step-ahead forecasts from any amount of history up to
     * {@code L + H − 1} steps, which is what it sees when its forecasts are fed back (univariate series only).
     */
    public static SequenceSet teacherForced(SequenceSet windows) {
        int[] all = java.util.stream.IntStream.range(0, windows.size()).toArray();
        List<double[][]> inputs = new SequenceCache.View<>(all, i -> {
            double[] series = observed(windows, i);
            double[][] in = new double[series.length - 1][];
            for (int t = 0; t < in.length; t++) {
                in[t] = new double[]{series[t]};
            }
            return in;
        });
        List<double[][]> targets = new SequenceCache.View<>(all, i -> {
            double[] series = observed(windows, i);
            double[][] next = new double[series.length - 1][];
            for (int t = 0; t < next.length; t++) {
                next[t] = new double[]{series[t + 1]};
            }
            return next;
        });
        int ahead = windows.targetWidth() - 1;
        return SequenceSet.computed(inputs, targets, true, null, windows.minLength() + ahead, windows.maxLength() + ahead);
    }

    /** Window i's observations followed by its targets: {@code y[s .. s+L+H)}. */
    private static double[] observed(SequenceSet windows, int i) {
        double[][] window = windows.sequence(i);
        double[] ahead = windows.target(i);
        double[] series = new double[window.length + ahead.length];
        for (int t = 0; t < window.length; t++) {
            series[t] = window[t][0];
        }
        System.arraycopy(ahead, 0, series, window.length, ahead.length);
        return series;
    }

    /**
     * {@link #relativeInputs(double[][], WindowReference, int)} of each of {@code windows}, computed when asked for: a list of
     * windows cut from a series stays a view rather than a copy of every window.
     */
    public static List<double[][]> relativeView(List<double[][]> windows, WindowReference reference, int referenced) {
        return new SequenceCache.View<>(java.util.stream.IntStream.range(0, windows.size()).toArray(),
                i -> relativeInputs(windows.get(i), reference, referenced));
    }

    /** One window's inputs measured against its last observation of each feature (an empty window stays empty). */
    public static double[][] relativeInputs(double[][] window, WindowReference reference) {
        return relativeInputs(window, reference, window.length == 0 ? 0 : window[0].length);
    }

    /**
     * One window's inputs, its first {@code referenced} features measured against their last observation; the rest
     * (covariates: known-future, static, calendar) as they are.
     */
    public static double[][] relativeInputs(double[][] window, WindowReference reference, int referenced) {
        if (reference == WindowReference.NONE || window.length == 0) {
            return window;
        }
        double[] last = window[window.length - 1];
        double[][] in = new double[window.length][];
        for (int t = 0; t < window.length; t++) {
            in[t] = window[t].clone();
            for (int f = 0; f < referenced; f++) {
                in[t][f] = measure(window[t][f], last[f], reference);
            }
        }
        return in;
    }

    /** A forecast made relative to the last observation {@code last}, as a level again. */
    public static double level(double relative, double last, WindowReference reference) {
        return switch (reference) {
            case NONE -> relative;
            case DIFFERENCE -> last + relative;
            case LOG_RATIO -> last * Math.exp(relative);
        };
    }

    private static double measure(double value, double last, WindowReference reference) {
        return switch (reference) {
            case NONE -> value;
            case DIFFERENCE -> value - last;
            case LOG_RATIO -> Math.log(value / last);
        };
    }

    private static int partOf(int step, int validationStart, int testStart) {
        return step >= testStart ? 2 : step >= validationStart ? 1 : 0;
    }

    /** Mean |y_t − y_{t−m}| over the observed pairs of the training part: the in-sample error of the (seasonal) naive forecast. */
    static double naiveScale(Rows series, int target, int m, int end, java.util.function.IntPredicate missing) {
        double sum = 0;
        int count = 0;
        for (int t = m; t < end; t++) {
            if (series.segment(t) != series.segment(t - m)) {
                continue; // a season back lies across a gap
            }
            if (missing != null && (missing.test(t) || missing.test(t - m))) {
                continue; // only observed values measure the naive forecast's error
            }
            sum += Math.abs(series.value(t, target) - series.value(t - m, target));
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
