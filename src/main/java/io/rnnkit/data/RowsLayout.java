package io.rnnkit.data;

import io.rnnkit.config.DataConfig;
import io.rnnkit.config.LabelSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a delimited file is one sequence: {@code T × features} values, time-major, with an optional
 * label in the first or last column (the UCR archive's layout) or labels given by blocks of rows (UCI
 * synthetic control). All rows must have the same number of values.
 */
final class RowsLayout {
    private RowsLayout() {
    }

    /** Training data: the label column (or row blocks) the config names must be there. */
    static RawSequences read(Path file, DataConfig data) {
        List<TextRecords.Line> lines = lines(file, data);
        LabelSource from = data.labels().from();
        return parse(file, lines, data, hasLabelColumn(from) ? from : null, from != null);
    }

    /**
     * Sequences to predict, in the training layout: a label column is optional (a UCR {@code _TEST} file has
     * one, new data does not) and recognised by the row holding one value more than the model reads.
     *
     * @param modelValues values per row the model reads ({@code T × features}); 0 when its length is not fixed
     */
    static RawSequences readUnlabelled(Path file, DataConfig data, int modelValues) {
        List<TextRecords.Line> lines = lines(file, data);
        LabelSource from = data.labels().from();
        boolean labelled = hasLabelColumn(from) && lines.get(0).fields().size() == modelValues + 1;
        return parse(file, lines, data, labelled ? from : null, false);
    }

    private static boolean hasLabelColumn(LabelSource from) {
        return from == LabelSource.FIRST_COLUMN || from == LabelSource.LAST_COLUMN;
    }

    private static List<TextRecords.Line> lines(Path file, DataConfig data) {
        List<TextRecords.Line> lines = CsvReader.read(file, CsvDialect.of(data), data.skipLines()).lines();
        if (lines.isEmpty()) {
            throw new DataException(file + ": no data rows" + (data.skipLines() > 0 ? " after skipping " + data.skipLines() + " lines" : ""));
        }
        return lines;
    }

    /**
     * @param labelColumn the column holding the label, which is not a value (null: every field is a value)
     * @param keepLabels  whether to return labels (from the label column or the row blocks)
     */
    private static RawSequences parse(Path file, List<TextRecords.Line> lines, DataConfig data, LabelSource labelColumn,
                                      boolean keepLabels) {
        int width = lines.get(0).fields().size();
        long firstLine = lines.get(0).number();
        int valueCount = width - (labelColumn != null ? 1 : 0);
        if (valueCount < 1) {
            throw DataException.at(file, firstLine, "a row needs at least one value besides the label");
        }
        if (valueCount % data.features() != 0) {
            throw DataException.at(file, firstLine, valueCount + " values do not divide into time steps of data.features = "
                    + data.features() + " values");
        }
        int steps = valueCount / data.features();
        List<double[][]> sequences = new ArrayList<>(lines.size());
        List<String[][]> labels = keepLabels ? new ArrayList<>(lines.size()) : null;
        List<RawSequences.Origin> origins = new ArrayList<>(lines.size());
        int offset = labelColumn == LabelSource.FIRST_COLUMN ? 1 : 0;
        char decimal = data.decimal().character();
        DataFaults faults = new DataFaults();
        List<String> names = SplitData.positionalNames(data.features());
        boolean[] text = new boolean[data.features()];
        data.categorical().forEach(c -> text[names.indexOf(c)] = true);
        List<List<TimeColumns.Row>> stepTexts = data.categorical().isEmpty() ? null : new ArrayList<>(lines.size());
        for (int row = 0; row < lines.size(); row++) {
            TextRecords.Line line = lines.get(row);
            List<String> fields = line.fields();
            if (fields.size() != width) {
                faults.add(DataException.at(file, line.number(), "ragged row: " + fields.size() + " fields, but the first row (line "
                        + firstLine + ") has " + width + "; every sequence in this layout must have the same length"));
                continue;
            }
            double[][] sequence = new double[steps][data.features()];
            List<List<java.util.Set<String>>> texts = new ArrayList<>();
            for (int v = 0; v < valueCount; v++) {
                if (v % data.features() == 0) {
                    texts.add(new ArrayList<>());
                }
                if (text[v % data.features()]) {
                    texts.get(v / data.features()).add(java.util.Set.of(fields.get(v + offset).strip())); // its value is its one-hot
                    continue;
                }
                texts.get(v / data.features()).add(null);
                try {
                    sequence[v / data.features()][v % data.features()] = TextRecords.number(file, line, v + offset, fields.get(v + offset), decimal);
                } catch (DataException e) {
                    faults.add(e);
                }
            }
            sequences.add(sequence);
            if (stepTexts != null) {
                List<TimeColumns.Row> rows = new ArrayList<>(steps);
                for (int t = 0; t < steps; t++) {
                    rows.add(new TimeColumns.Row(line.number(), null, sequence[t], texts.get(t)));
                }
                stepTexts.add(rows);
            }
            origins.add(RawSequences.Origin.of(file, line.number()));
            if (keepLabels) {
                labels.add(RawSequences.single(labelColumn == LabelSource.FIRST_COLUMN ? fields.get(0)
                        : labelColumn == LabelSource.LAST_COLUMN ? fields.get(width - 1)
                        : blockLabel(file, row, lines.size(), data)));
            }
        }
        faults.throwIfAny();
        return new RawSequences(sequences, labels, origins, false, stepTexts);
    }

    private static String blockLabel(Path file, int row, int rows, DataConfig data) {
        int blockSize = data.labels().blockSize();
        List<String> classes = data.labels().classes();
        if (rows != blockSize * classes.size()) {
            throw new DataException(file + ": " + rows + " rows, but data.labels says " + classes.size() + " classes in blocks of "
                    + blockSize + " rows (" + blockSize * classes.size() + " rows)");
        }
        return classes.get(row / blockSize);
    }
}
