package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.SeriesConfig;
import io.rnnkit.config.WindowReference;
import io.rnnkit.config.YamlNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One long series in a CSV file with a header: the time read from one or several columns ({@link TimeAxis}) and
 * made regular ({@link TimeColumns}: order, repeated times, cadence, gaps), numbers and categories read from
 * the value columns ({@link Categories}: one-hot); the series is then cut into forecast windows by
 * {@link ForecastWindowing}, within the segments between gaps.
 */
final class SeriesLayout {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesLayout.class);

    private SeriesLayout() {
    }

    /**
     * A series as read: one row of {@code values} per step, the names of its features (categorical columns as
     * {@code column=category}), which feature is the target, and for each step its line number, its time as text
     * (null without a time) and its segment (steps of different segments have a gap between them that was not filled).
     *
     * @param categories the categories of the categorical columns (empty without any)
     * @param report     what was done to read it: the time report and, per split (or {@code input} when predicting) and
     *                   categorical column, the steps read as {@code <other>} ({@code categories_other})
     * @param notes      what was ignored in the file as published (trailing empty rows and columns)
     * @param missing    the missing-value markers and policies, per feature (a one-hot feature takes its column's)
     * @param stamps     each step's date-time, for laying {@link IncidentWindows} on the series; null entries when
     *                   the time is a plain number or there is no time column
     * @param id         the series' values of {@code data.series.idColumns} (empty for a file of one series)
     */
    record Series(double[][] values, List<String> columns, int target, long[] lines, List<String> times, int[] segments,
                  Categories categories, Map<String, Object> report, List<String> notes, MissingValues missing,
                  List<java.time.LocalDateTime> stamps, List<String> id) {
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        Path file = DataPaths.resolve(data.path());
        List<Series> all = readAll(file, data, where, null);
        if (!data.series().panel()) {
            SplitData split = windows(all.get(0), data, where);
            if (!io.rnnkit.config.Task.of(config).detectsAnomalies()) {
                return split;
            }
            // a detector learns without labels; its windows only measure it, so they are laid on the series' steps here
            return split.withForecast(split.forecast().labelled(anomalyWindows(data, all.get(0).stamps(), where), all.get(0).times()));
        }
        List<SplitData> perSeries = new ArrayList<>(all.size());
        for (Series series : all) {
            try {
                perSeries.add(windows(series, data, where));
            } catch (io.rnnkit.BadInputException e) {
                // the windowing speaks of "the series": say which one
                throw new DataException(file + ": series " + SplitData.Panel.describe(data.series().idColumns(), series.id()) + ": "
                        + e.getMessage(), e);
            }
        }
        return SeriesPanels.merge(all, perSeries, data.series().idColumns());
    }

    /** One series cut into windows, its missing values filled as its policies say, split chronologically. */
    private static SplitData windows(Series series, DataConfig data, ConfigLocations where) {
        double[][] raw = series.values();
        int[] starts = ForecastWindowing.partStarts(raw.length, data.split());
        // the steps are regular by now: a gap time filled is a row like any other, a marker's NaN is filled by its policy
        MissingValues.Filled filled = series.missing().fill(raw, starts[0], starts[1]);
        boolean[] targetMissing = new boolean[raw.length];
        for (int t = 0; t < raw.length; t++) {
            targetMissing[t] = Double.isNaN(raw[t][series.target()]);
        }
        ForecastWindowing.Gaps gaps = ForecastWindowing.Gaps.of(targetMissing, filled.dropRow(), filled.readsUpTo(), filled.filled(),
                series.columns(), series.notes());
        Steps steps = withCovariates(series, filled.values(), filled.columns(), data, 0, DataPaths.resolve(data.path()).toString());
        return ForecastWindowing.split(steps.values(), series.target(), series.segments(), data.window(), data.series().seasonalPeriod(),
                data.split(), where, steps.names(), DatasetLoader.fingerprint(steps.names(),
                        SequenceSet.regressed(List.<double[][]>of(steps.values()), new double[][]{{0}})), gaps,
                series.categories(), filled.learnt(), series.report(), steps.covariates());
    }

    /** A series' steps as a forecaster reads them: its values, their names and where its covariates lie (null without any). */
    record Steps(double[][] values, List<String> names, Covariates covariates) {
    }

    /**
     * The filled values of a series with its calendar features appended and its static columns checked.
     *
     * @param more   steps after the series (the forecast steps of a file to predict from) whose calendar is computed from
     *               its last step
     * @param source the file, for a fault's message
     */
    static Steps withCovariates(Series series, double[][] values, List<String> names, DataConfig data, int more, String source) {
        if (!data.series().covariates()) {
            return new Steps(values, names, null);
        }
        List<String> all = new ArrayList<>(names);
        data.series().calendar().forEach(c -> all.addAll(c.featureNames()));
        Covariates layout = Covariates.of(data.series(), all, series.categories(), data.window().horizon());
        layout.requireStatic(values, all, series.lines(), source);
        return new Steps(Covariates.withCalendar(values, series.stamps(), data.series().calendar(), more, source), List.copyOf(all), layout);
    }

    /** The labelled windows of {@code data.labels.windows} as steps {@code {first, last}} of a series of {@code stamps}; null when none are given. */
    static int[][] anomalyWindows(DataConfig data, List<java.time.LocalDateTime> stamps, ConfigLocations where) {
        if (data.labels().windows() == null) {
            return null;
        }
        if (stamps.isEmpty() || stamps.get(0) == null) {
            throw where.error("data.labels.windows", "windows are times, but the series has no date-time column (data.series.timeColumn)");
        }
        IncidentWindows windows = IncidentWindows.read(DataPaths.resolve(data.labels().windows()), data.labels().key(), data.series().timeFormat());
        return windows.onSeries(stamps).spans().stream().map(s -> new int[]{s.first(), s.last()}).toArray(int[][]::new);
    }

    /**
     * Reads and checks a series file laid out as {@code data.series} describes, a missing value as NaN; every fault
     * in a row (ragged, time, number) is reported at once, each with its line and column.
     *
     * @param known the categories a model was trained with (prediction), or null to learn them from the training part
     */
    static Series read(Path file, DataConfig data, ConfigLocations where, Categories known) {
        List<Series> all = readAll(file, data, where, known);
        if (all.size() != 1) {
            throw new IllegalStateException(all.size() + " series read where one was expected");
        }
        return all.get(0);
    }

    /**
     * Every series of a file: the one series, or with {@code data.series.idColumns} one per id, in the order the ids
     * first appear; each series' time is checked and made regular on its own, and a fault names the series.
     */
    static List<Series> readAll(Path file, DataConfig data, ConfigLocations where, Categories known) {
        CsvDialect dialect = CsvDialect.of(data);
        CsvReader.Table table = CsvReader.read(file, dialect, data.skipLines());
        List<TextRecords.Line> lines = table.lines();
        if (lines.size() < 2) {
            throw new DataException(file + ": expected a header line and data rows, found " + lines.size() + " line(s)");
        }
        Columns columns = Columns.of(file, lines.get(0), data, where, known);
        SeriesConfig series = data.series();
        List<String> header = columns.header();
        List<String> timeColumns = columns.timeColumns();
        List<String> idColumns = series.idColumns();
        List<String> values = columns.values();
        String target = columns.target();

        // rows grouped by series id, in the order the ids first appear (one group without id columns)
        Map<List<String>, List<TimeColumns.Row>> groups = new LinkedHashMap<>();
        DataFaults faults = new DataFaults();
        for (int row = 1; row < lines.size(); row++) {
            TextRecords.Line line = lines.get(row);
            TimeColumns.Row read = columns.row(line, faults);
            if (read != null) {
                groups.computeIfAbsent(columns.id(line), k -> new ArrayList<>()).add(read);
            }
        }
        faults.throwIfAny();
        if (groups.isEmpty()) {
            throw new DataException(file + ": no data row");
        }
        List<Regularized> regular = new ArrayList<>(groups.size());
        for (Map.Entry<List<String>, List<TimeColumns.Row>> group : groups.entrySet()) {
            try {
                regular.add(regularize(file, group.getKey(), group.getValue(), series, timeColumns, values, lines.size() - 1));
            } catch (DataException e) {
                if (idColumns.isEmpty()) {
                    throw e;
                }
                throw new DataException(e.getMessage() + " (series " + SplitData.Panel.describe(idColumns, group.getKey()) + ")", e);
            }
        }
        // categories from the training part of every series
        List<TimeColumns.Row> training = new ArrayList<>();
        regular.forEach(r -> training.addAll(r.rows().subList(0, ForecastWindowing.partStarts(r.rows().size(), data.split())[0])));
        Categories categories = known != null ? known : Categories.fit(training, values, series.categorical(), training.size());
        // a step read from a single time column keeps its text as written; a filled or composed step shows its time
        Map<Long, String> written = new java.util.HashMap<>();
        if (timeColumns.size() == 1) {
            int column = header.indexOf(timeColumns.get(0));
            lines.subList(1, lines.size()).forEach(l -> written.put(l.number(), l.fields().get(column).strip()));
        }
        List<String> notes = new ArrayList<>();
        if (table.emptyRows() > 0) {
            notes.add(file.getFileName() + ": ignored " + table.emptyRows() + " trailing row(s) of empty fields");
        }
        if (table.emptyColumns() > 0) {
            notes.add(file.getFileName() + ": ignored " + table.emptyColumns() + " trailing empty column(s)");
        }
        List<Series> out = new ArrayList<>(regular.size());
        for (Regularized r : regular) {
            out.add(encoded(file, r, values, target, categories, known != null, data, written, notes, columns.missing()));
        }
        return out;
    }

    /**
     * How a series file's columns are read, from its header and {@code data.series} (checked here, each fault at its YAML
     * path): shared by the whole-file reader and the streaming path's, which reads the rows one at a time.
     *
     * @param values        the value columns read as numbers (or categories): past-only ones, then covariates
     * @param past          the past-only value columns
     * @param predictsAhead a file to predict from, whose forecast steps hold only known-future values
     */
    record Columns(Path file, List<String> header, List<String> timeColumns, List<String> past, List<String> values, String target,
                   DateTimeFormatter format, MissingValues missing, boolean predictsAhead, DataConfig data, CsvDialect dialect) {

        static Columns of(Path file, TextRecords.Line headerLine, DataConfig data, ConfigLocations where, Categories known) {
            SeriesConfig series = data.series();
            List<String> header = headerLine.fields().stream().map(String::strip).toList();
            List<String> timeColumns = series.timeSources();
            String timePath = series.timeColumns().isEmpty() ? "data.series.timeColumn" : "data.series.timeColumns";
            for (int i = 0; i < timeColumns.size(); i++) {
                requireColumn(header, timeColumns.get(i), series.timeColumns().isEmpty() ? timePath : timePath + "[" + i + "]", file, where);
            }
            List<String> idColumns = series.idColumns();
            for (int i = 0; i < idColumns.size(); i++) {
                requireColumn(header, idColumns.get(i), "data.series.idColumns[" + i + "]", file, where);
            }
            List<String> covariateColumns = new ArrayList<>(series.futureColumns());
            covariateColumns.addAll(series.staticColumns());
            List<String> past = series.valueColumns().isEmpty()
                    ? header.stream().filter(h -> !timeColumns.contains(h) && !idColumns.contains(h) && !covariateColumns.contains(h)).toList()
                    : series.valueColumns();
            for (int i = 0; i < past.size(); i++) {
                requireColumn(header, past.get(i), "data.series.valueColumns[" + i + "]", file, where);
            }
            for (int i = 0; i < covariateColumns.size(); i++) {
                int f = series.futureColumns().size();
                requireColumn(header, covariateColumns.get(i), i < f ? "data.series.futureColumns[" + i + "]"
                        : "data.series.staticColumns[" + (i - f) + "]", file, where);
            }
            // covariates are read as further value columns, after the past-only ones (Covariates)
            List<String> values = new ArrayList<>(past);
            values.addAll(covariateColumns);
            for (int i = 0; i < series.categorical().size(); i++) {
                if (!values.contains(series.categorical().get(i))) {
                    throw where.error("data.series.categorical[" + i + "]", "'" + series.categorical().get(i) + "' is not a value column " + values);
                }
            }
            if (values.isEmpty()) {
                throw where.error("data.series.valueColumns", file + " has no value column besides the time column");
            }
            for (int i = 0; i < series.duplicates().columns().size(); i++) {
                String column = series.duplicates().columns().get(i).column();
                if (!values.contains(column)) { // with valueColumns listed the config check has said so already
                    throw where.error("data.series.duplicates.columns[" + i + "].column", "'" + column + "' is not among the value columns "
                            + values + " of " + file + YamlNames.didYouMean(column, values));
                }
            }
            if (past.isEmpty()) {
                throw where.error("data.series.valueColumns", file + " has no past-only value column to forecast");
            }
            String target = series.target() == null ? past.get(0) : series.target();
            if (!past.contains(target)) {
                throw where.error("data.series.target", "'" + target + "' is not among the value columns " + values);
            }
            if (series.categorical().contains(target)) {
                throw where.error("data.series.target", "'" + target + "' is categorical; the forecast target must be a number");
            }
            DateTimeFormatter format;
            try {
                format = series.timeFormat() == null ? null : TimeAxis.formatter(series.timeFormat());
            } catch (IllegalArgumentException e) {
                throw where.error("data.series.timeFormat", "'" + series.timeFormat() + "' is not a java.time pattern: " + e.getMessage());
            }
            MissingValues missing = MissingValues.of(data.missing(), values, file, where);
            // a file to predict from holds the forecast steps' known-future values in rows whose past-only values are empty
            boolean predictsAhead = known != null && !series.futureColumns().isEmpty();
            return new Columns(file, header, timeColumns, List.copyOf(past), List.copyOf(values), target, format, missing, predictsAhead,
                    data, CsvDialect.of(data));
        }

        /** The values of {@code data.series.idColumns} on a line (empty for a file of one series). */
        List<String> id(TextRecords.Line line) {
            return data.series().idColumns().stream().map(c -> line.fields().get(header.indexOf(c)).strip()).toList();
        }

        /** One data line as a row (a missing value as NaN), or null when it is faulty: every fault of the line goes to {@code faults}. */
        TimeColumns.Row row(TextRecords.Line line, DataFaults faults) {
            SeriesConfig series = data.series();
            if (line.fields().size() != header.size()) {
                faults.add(DataException.at(file, line.number(), "ragged row: " + line.fields().size() + " fields, the header has " + header.size()));
                return null;
            }
            boolean faulty = false;
            TimeAxis.Stamp time = null;
            if (!timeColumns.isEmpty()) {
                List<String> texts = timeColumns.stream().map(c -> line.fields().get(header.indexOf(c)).strip()).toList();
                try {
                    time = TimeAxis.parse(texts, format, series.timeFormat());
                } catch (IllegalArgumentException e) {
                    faults.add(DataException.at(file, line.number(), "column " + String.join(", ", timeColumns) + ": " + e.getMessage()));
                    faulty = true;
                }
            }
            double[] numbers = new double[values.size()];
            List<Set<String>> categories = new ArrayList<>(values.size());
            for (int v = 0; v < values.size(); v++) {
                int column = header.indexOf(values.get(v));
                String text = line.fields().get(column).strip();
                if (series.categorical().contains(values.get(v))) {
                    numbers[v] = Double.NaN;
                    categories.add(Set.of(text));
                    continue;
                }
                categories.add(null);
                if (missing.isMissing(v, text, dialect.decimal()) || predictsAhead && v < past.size() && text.isEmpty()) {
                    numbers[v] = Double.NaN;
                    continue;
                }
                try {
                    numbers[v] = TextRecords.number(file, line, column, text, dialect.decimal());
                } catch (DataException e) {
                    faults.add(e);
                    faulty = true;
                    continue;
                }
                if (data.window().reference() == WindowReference.LOG_RATIO && numbers[v] <= 0) {
                    faults.add(DataException.at(file, line.number(), "column " + values.get(v) + ": " + numbers[v]
                            + " is not positive, which data.window.reference: log-ratio needs (use difference)"));
                }
            }
            return faulty ? null : new TimeColumns.Row(line.number(), time, numbers, categories);
        }
    }

    /** One series' rows as read, made regular: in time order, repeated times merged, gaps filled or cut. */
    private record Regularized(List<String> id, List<TimeColumns.Row> rows, int[] segments, Map<String, Object> report) {
    }

    private static Regularized regularize(Path file, List<String> id, List<TimeColumns.Row> read, SeriesConfig series,
                                          List<String> timeColumns, List<String> values, int lineCount) {
        List<TimeColumns.Row> rows = read;
        Map<String, Object> report = new LinkedHashMap<>();
        int[] segments = new int[rows.size()];
        if (!timeColumns.isEmpty()) {
            if (rows.stream().map(r -> r.time().at() == null).distinct().count() > 1) {
                throw new DataException(file + ": column " + String.join(", ", timeColumns) + " mixes plain numbers and dates");
            }
            List<io.rnnkit.config.DuplicatePolicy> merge = values.stream().map(v -> series.duplicates().of(v, series.categorical().contains(v))).toList();
            TimeColumns.Regular regular = TimeColumns.regularize(file, rows, series, values, merge);
            rows = regular.rows();
            segments = regular.segments();
            report.put("time", regular.report().asMap());
            if (id.isEmpty()) {
                LOG.info("{}: {} rows read as {} steps: {}", file, lineCount, rows.size(), regular.report().summary());
            } else {
                LOG.debug("{}: series {}: {} rows read as {} steps: {}", file, id, read.size(), rows.size(), regular.report().summary());
            }
        }
        return new Regularized(id, rows, segments, report);
    }

    /**
     * One regular series as numbers: its categorical columns one-hot over {@code categories}, the steps read as
     * {@code <other>} counted per part of its split (or as {@code input} with {@code known} categories).
     */
    private static Series encoded(Path file, Regularized regular, List<String> values, String target, Categories categories, boolean known,
                                  DataConfig data, Map<Long, String> written, List<String> notes, MissingValues missing) {
        List<TimeColumns.Row> rows = regular.rows();
        Map<String, Object> report = new LinkedHashMap<>(regular.report());
        int[] starts = ForecastWindowing.partStarts(rows.size(), data.split());
        Map<String, Map<String, Integer>> other = new LinkedHashMap<>();
        if (!known) {
            List.of("train", "validation", "test").forEach(p -> other.put(p, new LinkedHashMap<>()));
        }
        double[][] matrix = categories.encode(rows, values, r -> known ? "input" : r >= starts[1] ? "test" : r >= starts[0] ? "validation" : "train", other);
        if (!data.series().categorical().isEmpty()) {
            report.put("categories_other", other);
            if (regular.id().isEmpty()) { // a panel's series are reported together (SeriesPanels)
                LOG.info("{}: categorical columns {}: categories from the training part; steps read as {}: {}", file, categories.byColumn().keySet(),
                        Categories.OTHER, other);
            }
        }
        long[] lineNumbers = rows.stream().mapToLong(TimeColumns.Row::line).toArray();
        List<String> times = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            TimeColumns.Row step = rows.get(r);
            boolean filled = r > 0 && step.line() == rows.get(r - 1).line();
            times.add(step.time() == null ? null : !filled && written.containsKey(step.line()) ? written.get(step.line()) : step.time().toString());
        }
        int[] offsets = categories.offsets(values);
        return new Series(matrix, categories.featureNames(values), offsets[values.indexOf(target)], lineNumbers,
                Collections.unmodifiableList(times), regular.segments(), categories, report, List.copyOf(notes),
                missing.onFeatures(offsets, categories.featureNames(values), categories),
                rows.stream().map(r -> r.time() == null ? null : r.time().at()).toList(), regular.id());
    }

    private static void requireColumn(List<String> header, String name, String path, Path file, ConfigLocations where) {
        if (!header.contains(name)) {
            throw where.error(path, "no column '" + name + "' in " + file + " (columns: " + header + ")" + YamlNames.didYouMean(name, header));
        }
    }
}
