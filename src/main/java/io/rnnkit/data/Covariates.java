package io.rnnkit.data;

import io.rnnkit.config.CalendarField;
import io.rnnkit.config.SeriesConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a forecaster's covariates lie among the features of a step, and how a window reads them
 * (docs/architecture.md, "Covariates"). A step's features are, in this order: the past-only values
 * {@code [0, past)} (the value columns, with the target), the known-future columns {@code [past, future)}, the static
 * columns {@code [future, statics)} and the calendar's sin/cos pairs {@code [statics, width)}.
 *
 * <p>A direct forecaster sees the future through its input: at input step t of a window the known-future and calendar
 * features hold their values {@code lead} (the horizon) steps later, so the window's last {@code horizon} steps carry
 * the values of the {@code horizon} forecast steps, in order, beside the history they follow. Only the past-only values
 * are measured against the window's last observation ({@code data.window.reference}); static and calendar features
 * pass the normalizer unchanged (one-hot and sin/cos are already on a unit scale), and numeric static columns take the
 * statistics over every series (a per-series statistic would turn a constant into zero).
 *
 * @param names the covariates' feature names, from {@code past} on
 */
public record Covariates(int past, int future, int statics, List<CalendarField> calendar, int lead, List<String> names) {
    public Covariates {
        calendar = List.copyOf(calendar);
        names = List.copyOf(names);
    }

    /** No covariates: every one of {@code features} values is past-only. */
    public static Covariates none(int features) {
        return new Covariates(features, features, features, List.of(), 0, List.of());
    }

    /**
     * The layout of a step of {@code featureNames} read as {@code series} declares, for windows forecasting
     * {@code horizon} steps.
     *
     * @throws IllegalArgumentException when the names do not end in the covariates' features (a bundle's contract that
     *                                  its config does not describe)
     */
    public static Covariates of(SeriesConfig series, List<String> featureNames, Categories categories, int horizon) {
        int width = featureNames.size();
        if (!series.covariates()) {
            return none(width);
        }
        List<String> expected = new ArrayList<>(categories.featureNames(series.futureColumns()));
        int futureCount = expected.size();
        expected.addAll(categories.featureNames(series.staticColumns()));
        int staticCount = expected.size() - futureCount;
        series.calendar().forEach(c -> expected.addAll(c.featureNames()));
        int past = width - expected.size();
        if (past < 1 || !featureNames.subList(past, width).equals(expected)) {
            throw new IllegalArgumentException("the features " + featureNames + " do not end in the covariates " + expected
                    + " that data.series declares (futureColumns, staticColumns, calendar), after at least one value");
        }
        return new Covariates(past, past + futureCount, past + futureCount + staticCount, series.calendar(), horizon, expected);
    }

    /** Values per step. */
    public int width() {
        return statics + 2 * calendar.size();
    }

    public boolean any() {
        return past != width();
    }

    /** Whether a window reads the future through its inputs: known-future columns or a calendar. */
    public boolean readsFuture() {
        return future > past || !calendar.isEmpty();
    }

    /** Whether feature {@code f} holds, at a window's input step t, the value of step {@code t + lead}. */
    public boolean led(int f) {
        return f >= past && f < future || f >= statics;
    }

    /**
     * The window of {@code length} input steps starting at row {@code start} of {@code rows}: the past-only and static
     * features of its rows, the known-future and calendar ones {@link #lead} rows later (which must exist).
     */
    public double[][] window(double[][] rows, int start, int length) {
        return window(t -> rows[t], start, length);
    }

    /** {@link #window(double[][], int, int)} of rows read one at a time (the streaming path's, from its mapped cache). */
    double[][] window(java.util.function.IntFunction<double[]> rows, int start, int length) {
        double[][] in = new double[length][];
        for (int t = 0; t < length; t++) {
            in[t] = rows.apply(start + t).clone();
            if (lead > 0 && readsFuture()) {
                double[] ahead = rows.apply(start + t + lead);
                for (int f = past; f < in[t].length; f++) {
                    if (led(f)) {
                        in[t][f] = ahead[f];
                    }
                }
            }
        }
        return in;
    }

    /** The calendar features of a step at {@code t}, in their order. */
    public double[] calendarOf(LocalDateTime t) {
        double[] out = new double[2 * calendar.size()];
        for (int c = 0; c < calendar.size(); c++) {
            System.arraycopy(calendar.get(c).encode(t), 0, out, 2 * c, 2);
        }
        return out;
    }

    /**
     * The rows with the calendar features of each step's time appended (rows as they are without a calendar).
     *
     * @param stamps each row's date-time; {@code more} further steps' are computed from the last two rows' step
     * @param more   steps after the rows (the forecast steps of a file to predict from) whose rows are the calendar only
     *               and NaN for the rest
     * @throws DataException when the time is a plain number, which has no calendar
     */
    public static double[][] withCalendar(double[][] rows, List<LocalDateTime> stamps, List<CalendarField> calendar, int more, String source) {
        if (calendar.isEmpty()) {
            return rows;
        }
        if (stamps.isEmpty() || stamps.contains(null)) {
            throw new DataException(source + ": data.series.calendar needs dates and times, but the time column holds plain numbers");
        }
        Covariates layout = new Covariates(0, 0, 0, calendar, 0, List.of());
        int width = rows.length == 0 ? 0 : rows[0].length;
        double[][] out = new double[rows.length + more][];
        for (int t = 0; t < out.length; t++) {
            LocalDateTime at = t < rows.length ? stamps.get(t) : ahead(stamps, t - rows.length + 1);
            double[] values = new double[width + 2 * calendar.size()];
            if (t < rows.length) {
                System.arraycopy(rows[t], 0, values, 0, width);
            } else {
                java.util.Arrays.fill(values, 0, width, Double.NaN);
            }
            System.arraycopy(layout.calendarOf(at), 0, values, width, 2 * calendar.size());
            out[t] = values;
        }
        return out;
    }

    /** The time {@code k} steps after the last stamp, at the step between the last two (whole months when it is). */
    static LocalDateTime ahead(List<LocalDateTime> stamps, int k) {
        if (stamps.size() < 2) {
            throw new DataException("the calendar of the forecast steps needs at least two times to know the step");
        }
        LocalDateTime a = stamps.get(stamps.size() - 2);
        LocalDateTime b = stamps.get(stamps.size() - 1);
        long months = java.time.temporal.ChronoUnit.MONTHS.between(a, b);
        if (months > 0 && a.plusMonths(months).equals(b)) {
            return b.plusMonths(months * k);
        }
        return b.plus(java.time.Duration.between(a, b).multipliedBy(k));
    }

    /**
     * Refuses a static column whose value changes within a series, naming the first row where it does.
     *
     * @param lines each row's line in the file
     */
    void requireStatic(double[][] rows, List<String> features, long[] lines, String source) {
        for (int f = future; f < statics; f++) {
            for (int t = 1; t < rows.length; t++) {
                if (Double.compare(rows[t][f], rows[0][f]) != 0) {
                    throw notStatic(java.nio.file.Path.of(source), lines[t], features.get(f), rows[t][f], rows[0][f], lines[0]);
                }
            }
        }
    }

    /** A static feature that changes within a series: its value on line {@code line}, and the series' first on {@code firstLine}. */
    static DataException notStatic(java.nio.file.Path file, long line, String feature, double value, double first, long firstLine) {
        return DataException.at(file, line, "static column feature " + feature + " is " + value + " here but " + first + " on line "
                + firstLine + "; a static column (data.series.staticColumns) holds one value per series");
    }

    /**
     * A fitted normalizer made to leave the static and calendar features as they are, except numeric static columns,
     * which take the statistics of {@code global} (the normalizer fitted over every series; this one itself when it is).
     * The statistics arrays are changed in place, so the same normalizer scales training, evaluation and the bundle.
     */
    public void pin(DataNormalization normalizer, DataNormalization global, Categories categories, List<String> staticColumns) {
        if (normalizer == null || future == width()) {
            return;
        }
        boolean[] numericStatic = new boolean[width()];
        int f = future;
        for (String column : staticColumns) {
            List<String> cats = categories.byColumn().get(column);
            if (cats == null) {
                numericStatic[f] = true;
            }
            f += cats == null ? 1 : cats.size();
        }
        INDArray[] mine = stats(normalizer);
        INDArray[] theirs = stats(global);
        for (int k = future; k < width(); k++) {
            boolean keep = numericStatic[k];
            // standardize: mean 0, std 1; min-max: min 0, max 1 (so a value in [0, 1] maps to itself)
            mine[0].putScalar(k, keep ? theirs[0].getDouble(k) : 0);
            mine[1].putScalar(k, keep ? theirs[1].getDouble(k) : 1);
        }
    }

    private static INDArray[] stats(DataNormalization normalizer) {
        if (normalizer instanceof NormalizerStandardize s) {
            return new INDArray[]{s.getMean(), s.getStd()};
        }
        if (normalizer instanceof NormalizerMinMaxScaler m) {
            return new INDArray[]{m.getMin(), m.getMax()};
        }
        throw new IllegalArgumentException("no statistics to pin in " + normalizer.getClass().getSimpleName());
    }
}
