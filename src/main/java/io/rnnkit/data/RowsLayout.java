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

    static RawSequences read(Path file, DataConfig data) {
        List<TextRecords.Line> lines = TextRecords.read(file, data.delimiter(), data.skipLines());
        if (lines.isEmpty()) {
            throw new DataException(file + ": no data rows" + (data.skipLines() > 0 ? " after skipping " + data.skipLines() + " lines" : ""));
        }
        LabelSource from = data.labels().from();
        boolean labelColumn = from == LabelSource.FIRST_COLUMN || from == LabelSource.LAST_COLUMN;
        int width = lines.get(0).fields().size();
        long firstLine = lines.get(0).number();
        int valueCount = width - (labelColumn ? 1 : 0);
        if (valueCount < 1) {
            throw DataException.at(file, firstLine, "a row needs at least one value besides the label");
        }
        if (valueCount % data.features() != 0) {
            throw DataException.at(file, firstLine, valueCount + " values do not divide into time steps of data.features = "
                    + data.features() + " values");
        }
        int steps = valueCount / data.features();
        List<double[][]> sequences = new ArrayList<>(lines.size());
        List<String[][]> labels = from == null ? null : new ArrayList<>(lines.size());
        List<RawSequences.Origin> origins = new ArrayList<>(lines.size());
        for (int row = 0; row < lines.size(); row++) {
            TextRecords.Line line = lines.get(row);
            List<String> fields = line.fields();
            if (fields.size() != width) {
                throw DataException.at(file, line.number(), "ragged row: " + fields.size() + " fields, but the first row (line "
                        + firstLine + ") has " + width + "; every sequence in this layout must have the same length");
            }
            int offset = from == LabelSource.FIRST_COLUMN ? 1 : 0;
            double[][] sequence = new double[steps][data.features()];
            for (int v = 0; v < valueCount; v++) {
                sequence[v / data.features()][v % data.features()] = TextRecords.number(file, line, v + offset, fields.get(v + offset));
            }
            sequences.add(sequence);
            origins.add(RawSequences.Origin.of(file, line.number()));
            if (from == LabelSource.FIRST_COLUMN) {
                labels.add(RawSequences.single(fields.get(0)));
            } else if (from == LabelSource.LAST_COLUMN) {
                labels.add(RawSequences.single(fields.get(width - 1)));
            } else if (from == LabelSource.ROW_BLOCKS) {
                labels.add(RawSequences.single(blockLabel(file, row, lines.size(), data)));
            }
        }
        return new RawSequences(sequences, labels, origins, false);
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
