package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.SeriesConfig;
import io.rnnkit.config.YamlNames;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.joda.time.DateTimeZone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One long series in a CSV file with a header: a DataVec {@link TransformProcess} parses the time column and
 * keeps the value columns; the series is then cut into forecast windows by {@link ForecastWindowing}.
 */
final class SeriesLayout {
    private SeriesLayout() {
    }

    /**
     * A series as read: one row of {@code values} per data line, the names of its columns, which column is
     * the target, and for each row its line number and the text of its time column (null without one).
     */
    record Series(double[][] values, List<String> columns, int target, long[] lines, List<String> times, List<String> notes,
                  MissingValues missing) {
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        Path file = DataPaths.resolve(data.path());
        Series series = read(file, data, where);
        double[][] raw = series.values();
        int[] starts = ForecastWindowing.partStarts(raw.length, data.split());
        MissingValues.Filled filled = series.missing().fill(raw, starts[0], starts[1]);
        boolean[] targetMissing = new boolean[raw.length];
        for (int t = 0; t < raw.length; t++) {
            targetMissing[t] = Double.isNaN(raw[t][series.target()]);
        }
        ForecastWindowing.Gaps gaps = new ForecastWindowing.Gaps(targetMissing, filled.dropRow(), filled.readsUpTo(), filled.filled(),
                series.columns(), series.notes());
        return ForecastWindowing.split(filled.values(), series.target(), data.window(), data.series().seasonalPeriod(), data.split(),
                where, filled.columns(), DatasetLoader.fingerprint(filled.columns(),
                        SequenceSet.regressed(List.<double[][]>of(filled.values()), new double[][]{{0}})), gaps);
    }

    /**
     * Reads and checks a series file laid out as {@code data.series} describes, a missing value as NaN; every fault
     * in the file is reported at once, each with its line and column.
     */
    static Series read(Path file, DataConfig data, ConfigLocations where) {
        SeriesConfig series = data.series();
        CsvDialect dialect = CsvDialect.of(data);
        CsvReader.Table table = CsvReader.read(file, dialect, data.skipLines());
        List<TextRecords.Line> lines = table.lines();
        if (lines.size() < 2) {
            throw new DataException(file + ": expected a header line and data rows, found " + lines.size() + " line(s)");
        }
        List<String> header = lines.get(0).fields().stream().map(String::strip).toList();
        String time = series.timeColumn();
        if (time != null && !header.contains(time)) {
            throw where.error("data.series.timeColumn", "no column '" + time + "' in " + file + " (columns: " + header + ")"
                    + YamlNames.didYouMean(time, header));
        }
        List<String> values = series.valueColumns().isEmpty()
                ? header.stream().filter(h -> !h.equals(time)).toList() : series.valueColumns();
        for (int i = 0; i < values.size(); i++) {
            if (!header.contains(values.get(i))) {
                throw where.error("data.series.valueColumns[" + i + "]", "no column '" + values.get(i) + "' in " + file
                        + " (columns: " + header + ")" + YamlNames.didYouMean(values.get(i), header));
            }
        }
        if (values.isEmpty()) {
            throw where.error("data.series.valueColumns", file + " has no value column besides the time column");
        }
        String target = series.target() == null ? values.get(0) : series.target();
        if (!values.contains(target)) {
            throw where.error("data.series.target", "'" + target + "' is not among the value columns " + values);
        }

        MissingValues missing = MissingValues.of(data.missing(), values, file, where);

        Schema.Builder schema = new Schema.Builder();
        header.forEach(schema::addColumnString);
        TransformProcess.Builder steps = new TransformProcess.Builder(schema.build());
        List<String> kept = new ArrayList<>(values);
        if (time != null) {
            kept.add(0, time);
            if (series.timeFormat() != null) {
                steps.stringToTimeTransform(time, series.timeFormat(), DateTimeZone.UTC);
            }
        }
        steps.removeAllColumnsExceptFor(kept.toArray(String[]::new));
        TransformProcess process = steps.build();
        List<String> outputColumns = process.getFinalSchema().getColumnNames();

        double[][] matrix = new double[lines.size() - 1][values.size()];
        long[] lineNumbers = new long[matrix.length];
        List<String> times = new ArrayList<>(matrix.length);
        DataFaults faults = new DataFaults();
        long previousTime = Long.MIN_VALUE;
        for (int row = 1; row < lines.size(); row++) {
            TextRecords.Line line = lines.get(row);
            lineNumbers[row - 1] = line.number();
            times.add(time == null || line.fields().size() != header.size() ? null : line.fields().get(header.indexOf(time)));
            if (line.fields().size() != header.size()) {
                faults.add(DataException.at(file, line.number(), "ragged row: " + line.fields().size() + " fields, the header has " + header.size()));
                continue;
            }
            List<Writable> in = new ArrayList<>();
            line.fields().forEach(f -> in.add(new Text(f)));
            List<Writable> out;
            try {
                out = process.execute(in);
            } catch (RuntimeException e) {
                faults.add(file, line.number(), header.indexOf(time) + 1, "time '" + line.fields().get(header.indexOf(time))
                        + "' does not match data.series.timeFormat " + series.timeFormat());
                continue;
            }
            for (int v = 0; v < values.size(); v++) {
                int column = header.indexOf(values.get(v));
                String field = out.get(outputColumns.indexOf(values.get(v))).toString();
                if (missing.isMissing(v, field, dialect.decimal())) {
                    matrix[row - 1][v] = Double.NaN;
                    continue;
                }
                try {
                    matrix[row - 1][v] = TextRecords.number(file, line, column, field, dialect.decimal());
                } catch (DataException e) {
                    faults.add(e);
                    matrix[row - 1][v] = Double.NaN;
                    continue;
                }
                if (data.window().reference() == io.rnnkit.config.WindowReference.LOG_RATIO && matrix[row - 1][v] <= 0) {
                    faults.add(DataException.at(file, line.number(), "column " + values.get(v) + ": " + matrix[row - 1][v]
                            + " is not positive, which data.window.reference: log-ratio needs (use difference)"));
                }
            }
            if (time != null && series.timeFormat() != null) {
                long t = out.get(outputColumns.indexOf(time)).toLong();
                if (t <= previousTime) {
                    faults.add(DataException.at(file, line.number(), "time does not increase: a series must be in time order without repeats"));
                }
                previousTime = t;
            }
        }
        faults.throwIfAny();
        List<String> notes = new ArrayList<>();
        if (table.emptyRows() > 0) {
            notes.add(file.getFileName() + ": ignored " + table.emptyRows() + " trailing row(s) of empty fields");
        }
        if (table.emptyColumns() > 0) {
            notes.add(file.getFileName() + ": ignored " + table.emptyColumns() + " trailing empty column(s)");
        }
        return new Series(matrix, values, values.indexOf(target), lineNumbers, java.util.Collections.unmodifiableList(times), List.copyOf(notes),
                missing);
    }
}
