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
    record Series(double[][] values, List<String> columns, int target, long[] lines, List<String> times) {
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        Path file = DataPaths.resolve(data.path());
        Series series = read(file, data, where);
        return ForecastWindowing.split(series.values(), series.target(), data.window(), data.series().seasonalPeriod(), data.split(),
                where, series.columns(), DatasetLoader.fingerprint(series.columns(),
                        SequenceSet.regressed(List.<double[][]>of(series.values()), new double[][]{{0}})));
    }

    /** Reads and checks a series file laid out as {@code data.series} describes; faults name the file and line. */
    static Series read(Path file, DataConfig data, ConfigLocations where) {
        SeriesConfig series = data.series();
        List<TextRecords.Line> lines = TextRecords.read(file, data.delimiter(), data.skipLines());
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
        long previousTime = Long.MIN_VALUE;
        for (int row = 1; row < lines.size(); row++) {
            TextRecords.Line line = lines.get(row);
            if (line.fields().size() != header.size()) {
                throw DataException.at(file, line.number(), "ragged row: " + line.fields().size() + " fields, the header has " + header.size());
            }
            List<Writable> in = new ArrayList<>();
            line.fields().forEach(f -> in.add(new Text(f.strip())));
            List<Writable> out;
            try {
                out = process.execute(in);
            } catch (RuntimeException e) {
                throw DataException.at(file, line.number(), "time '" + line.fields().get(header.indexOf(time)).strip()
                        + "' does not match data.series.timeFormat " + series.timeFormat());
            }
            lineNumbers[row - 1] = line.number();
            times.add(time == null ? null : line.fields().get(header.indexOf(time)).strip());
            for (int v = 0; v < values.size(); v++) {
                int column = outputColumns.indexOf(values.get(v));
                matrix[row - 1][v] = TextRecords.number(file, line, header.indexOf(values.get(v)), out.get(column).toString());
            }
            if (data.window().reference() == io.rnnkit.config.WindowReference.LOG_RATIO) {
                for (int v = 0; v < values.size(); v++) {
                    if (matrix[row - 1][v] <= 0) {
                        throw DataException.at(file, line.number(), "column " + values.get(v) + ": " + matrix[row - 1][v]
                                + " is not positive, which data.window.reference: log-ratio needs (use difference)");
                    }
                }
            }
            if (time != null && series.timeFormat() != null) {
                long t = out.get(outputColumns.indexOf(time)).toLong();
                if (t <= previousTime) {
                    throw DataException.at(file, line.number(), "time does not increase: a series must be in time order without repeats");
                }
                previousTime = t;
            }
        }
        return new Series(matrix, values, values.indexOf(target), lineNumbers, java.util.Collections.unmodifiableList(times));
    }
}
