package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequences to predict, read from a file in the layout a model was trained on, with the same readers as
 * training data: {@code rows} (and {@code generated}, whose sequences are rows) one sequence a line, a label
 * column optional; {@code sequence-files} the files of {@code features/}; {@code series} the series file,
 * cut into one window of the model's lookback ending at every step from the first full window to the last
 * step, so that each window's forecast is the forecast made at that step.
 *
 * @param keyName    what identifies an input in the output: {@code line}, {@code file}, or the series' time column
 * @param keys       per sequence: its line number, its file name, or the time (or line) of its last step
 * @param origins    per sequence: {@code file:line} or the file, for messages about it
 */
public record PredictionInput(List<double[][]> sequences, String keyName, List<String> keys, List<String> origins) {
    public PredictionInput {
        sequences = List.copyOf(sequences);
        keys = List.copyOf(keys);
        origins = List.copyOf(origins);
    }

    /**
     * @param data     the {@code data} section of the model's config
     * @param input    the file (or folder, for sequence files) to read
     * @param features values per time step the model reads
     * @param length   the steps the model reads when its length is fixed (the lookback of a forecaster), else 0
     */
    public static PredictionInput read(DataConfig data, Path input, int features, int length) {
        return switch (data.format()) {
            case ROWS, GENERATED -> {
                RawSequences rows = RowsLayout.readUnlabelled(input, data, length * features);
                List<String> lines = rows.origins().stream().map(o -> Long.toString(o.line())).toList();
                yield new PredictionInput(rows.sequences(), "line", lines, rows.origins().stream().map(o -> o.at(0)).toList());
            }
            case SEQUENCE_FILES -> {
                RawSequences files = SequenceFilesLayout.readUnlabelled(input, data.skipLines(), DatasetLoader.delimiterChar(data.delimiter()));
                List<String> names = files.origins().stream().map(o -> Path.of(o.source()).getFileName().toString()).toList();
                yield new PredictionInput(files.sequences(), "file", names, files.origins().stream().map(o -> o.at(0)).toList());
            }
            case SERIES -> windows(SeriesLayout.read(input, data, new ConfigLocations("the model's config")), input, data, length);
            case TEXT -> throw new DataException(input + ": predictions from files are for numeric layouts; a text model is used through"
                    + " RnnModel, or rnnkit generate for generation");
        };
    }

    private static PredictionInput windows(SeriesLayout.Series series, Path input, DataConfig data, int lookback) {
        double[][] values = series.values();
        if (values.length < lookback) {
            throw new DataException(input + ": " + values.length + " steps, but the model forecasts from windows of " + lookback
                    + " steps (data.window.lookback)");
        }
        boolean timed = data.series().timeColumn() != null;
        List<double[][]> windows = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (int end = lookback; end <= values.length; end++) {
            double[][] window = new double[lookback][];
            for (int t = 0; t < lookback; t++) {
                window[t] = values[end - lookback + t].clone();
            }
            windows.add(window);
            long line = series.lines()[end - 1];
            keys.add(timed ? series.times().get(end - 1) : Long.toString(line));
            origins.add(RawSequences.Origin.of(input, line).at(0));
        }
        return new PredictionInput(windows, timed ? data.series().timeColumn() : "line", keys, origins);
    }
}
