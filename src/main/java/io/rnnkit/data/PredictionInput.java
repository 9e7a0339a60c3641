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
 * step, so that each window's forecast is the forecast made at that step (a series tagged per step: into
 * consecutive chunks of its training length, every step once).
 *
 * @param keyName    what identifies an input in the output: {@code line}, {@code file}, or the series' time column
 * @param keys       per sequence: its line number, its file name, or the time (or line) of its last step
 * @param origins    per sequence: {@code file:line} or the file, for messages about it
 * @param idColumns  for a file of many series ({@code data.series.idColumns}): the columns that name a series; else empty
 * @param seriesIds  for a file of many series: per sequence, its series' values of the id columns; else empty
 * @param notes      what reading did that a user should hear of, not faults: values filled by the missing-value
 *                   policies, windows left out (a drop column's marker, an interpolation reaching past the window),
 *                   steps read as {@code <other>}
 */
public record PredictionInput(List<double[][]> sequences, String keyName, List<String> keys, List<String> origins,
                              List<String> idColumns, List<List<String>> seriesIds, List<String> notes) {
    public PredictionInput {
        sequences = List.copyOf(sequences);
        keys = List.copyOf(keys);
        origins = List.copyOf(origins);
        idColumns = List.copyOf(idColumns);
        seriesIds = seriesIds.stream().map(List::copyOf).toList();
        notes = List.copyOf(notes);
    }

    /** Sequences not of many series, read without notes. */
    public PredictionInput(List<double[][]> sequences, String keyName, List<String> keys, List<String> origins) {
        this(sequences, keyName, keys, origins, List.of(), List.of(), List.of());
    }

    /** Sequences not of many series. */
    public PredictionInput(List<double[][]> sequences, String keyName, List<String> keys, List<String> origins, List<String> notes) {
        this(sequences, keyName, keys, origins, List.of(), List.of(), notes);
    }

    /** Sequences of many series, read without notes. */
    public PredictionInput(List<double[][]> sequences, String keyName, List<String> keys, List<String> origins,
                           List<String> idColumns, List<List<String>> seriesIds) {
        this(sequences, keyName, keys, origins, idColumns, seriesIds, List.of());
    }

    /**
     * @param data     the {@code data} section of the model's config
     * @param input    the file (or folder, for sequence files) to read
     * @param features values per time step the model reads
     * @param length   the steps the model reads when its length is fixed (the lookback of a forecaster), else 0
     */
    public static PredictionInput read(DataConfig data, Path input, int features, int length) {
        return read(data, input, features, length, null);
    }

    /**
     * {@link #read(DataConfig, Path, int, int)} for a model that reads categorical columns as their raw text.
     *
     * @param categories the categories the model was trained with (its bundle's), or null when it has none
     */
    public static PredictionInput read(DataConfig data, Path input, int features, int length, Categories categories) {
        return read(data, input, features, length, categories, null);
    }

    /**
     * {@link #read(DataConfig, Path, int, int, Categories)} for a model that reads a series' missing-value markers: they
     * are filled by the policies of the model's config with the values learnt in training, as training filled them.
     *
     * @param fills the fill values the model's missing-value policies learnt (its bundle's), or null when it has none
     */
    public static PredictionInput read(DataConfig data, Path input, int features, int length, Categories categories, MissingFills fills) {
        return switch (data.format()) {
            case ROWS, GENERATED -> {
                // with categorical features as raw text a row holds T × data.features fields, made one-hot below
                List<String> notes = new ArrayList<>();
                RawSequences read = oneHot(RowsLayout.readUnlabelled(input, data, length * (data.categorical().isEmpty() ? features
                        : data.features())), data, categories, input, notes);
                PredictionInput lines = byLine(read);
                yield new PredictionInput(lines.sequences(), lines.keyName(), lines.keys(), lines.origins(), notes);
            }
            case SEQUENCE_FILES -> {
                List<String> notes = new ArrayList<>();
                RawSequences files = PiecewiseAggregate.apply(oneHot(SequenceFilesLayout.readUnlabelled(input, data.skipLines(),
                        DatasetLoader.delimiterChar(data), data.categorical()), data, categories, input, notes), data.segments());
                List<String> names = files.origins().stream().map(o -> Path.of(o.source()).getFileName().toString()).toList();
                yield new PredictionInput(files.sequences(), "file", names, files.origins().stream().map(o -> o.at(0)).toList(), notes);
            }
            case SERIES -> {
                List<SeriesLayout.Series> all = SeriesLayout.readAll(input, data, new ConfigLocations("the model's config"),
                        categories == null ? new Categories(java.util.Map.of()) : categories);
                // a series tagged per step is cut into chunks (data.window.length); a forecaster's or a detector's into windows
                if (data.window().length() != null) {
                    requireComplete(all.get(0), input);
                    yield chunks(all.get(0), input, data);
                }
                yield series(all, input, data, length, fills);
            }
            case TS, ARFF -> {
                // a test file of the archive, labels and all: the labels are ignored, the cases predicted
                yield byLine(PiecewiseAggregate.apply(ArchiveFile.read(data.format(), input).sequences(), data.segments()));
            }
            case TEXT -> throw new DataException(input + ": a text model reads lines of text (lines(...)), or generates with rnnkit generate");
        };
    }

    /**
     * A whole series to scan for anomalies, in a detector's layout ({@code data.series}): its steps {@code [time][feature]}
     * and per step its time as written (else its line). A missing value, which the detector cannot score from, is refused.
     */
    public static SeriesSteps series(DataConfig data, Path input, Categories categories) {
        SeriesLayout.Series series = SeriesLayout.read(input, data, new ConfigLocations("the model's config"),
                categories == null ? new Categories(java.util.Map.of()) : categories);
        double[][] values = series.values();
        requireComplete(series, input);
        boolean timed = !data.series().timeSources().isEmpty();
        List<String> keys = new ArrayList<>(values.length);
        for (int t = 0; t < values.length; t++) {
            keys.add(timed ? series.times().get(t) : Long.toString(series.lines()[t]));
        }
        return new SeriesSteps(values, timed ? String.join("+", data.series().timeSources()) : "line", keys);
    }

    /** A series' steps and what identifies each (its time, or line). */
    public record SeriesSteps(double[][] values, String keyName, List<String> keys) {
    }

    /**
     * The sequences with their categorical features ({@code data.categorical}) one-hot over the model's categories, as
     * in training; the steps read as {@code <other>} are counted in {@code notes}. Sequences without any, as they are.
     */
    private static RawSequences oneHot(RawSequences read, DataConfig data, Categories categories, Path input, List<String> notes) {
        if (read.steps() == null) {
            return read;
        }
        if (categories == null || categories.byColumn().isEmpty()) {
            throw new DataException(input + ": the model reads data.categorical " + data.categorical()
                    + " as text, but no categories were given to make them one-hot (RnnModel.read passes its bundle's)");
        }
        java.util.Map<String, java.util.Map<String, Integer>> other = new java.util.LinkedHashMap<>();
        int width = read.steps().get(0).get(0).numbers().length;
        List<double[][]> encoded = read.oneHot(categories, SplitData.positionalNames(width), i -> "input", other);
        if (!other.isEmpty()) {
            notes.add(otherNote(input, other.get("input")));
        }
        return new RawSequences(encoded, null, read.origins(), false);
    }

    private static String otherNote(Path input, Object counts) {
        return input.getFileName() + ": steps read as " + Categories.OTHER + " (categories unseen in training): " + counts;
    }

    /** Sequences read one a line, keyed by their line number. */
    private static PredictionInput byLine(RawSequences read) {
        List<String> lines = read.origins().stream().map(o -> Long.toString(o.line())).toList();
        return new PredictionInput(read.sequences(), "line", lines, read.origins().stream().map(o -> o.at(0)).toList());
    }

    /**
     * The inputs of a vector-to-sequence model: every row of a delimited file (in the model's
     * {@code data.delimiter}) one vector, all its values in order, held as a sequence of one step.
     */
    public static PredictionInput vectors(DataConfig data, Path input) {
        RawSequences rows = RowsLayout.readUnlabelled(input, data, -1);
        List<double[][]> vectors = new ArrayList<>(rows.sequences().size());
        for (double[][] row : rows.sequences()) {
            double[] vector = new double[row.length * row[0].length];
            for (int t = 0; t < row.length; t++) {
                System.arraycopy(row[t], 0, vector, t * row[t].length, row[t].length);
            }
            vectors.add(new double[][]{vector});
        }
        List<String> lines = rows.origins().stream().map(o -> Long.toString(o.line())).toList();
        return new PredictionInput(vectors, "line", lines, rows.origins().stream().map(o -> o.at(0)).toList());
    }

    /**
     * The lines of a text file to classify, each a text: blank lines are skipped, and a line that ends with the
     * model's label separator and one of its classes (a line of its training file) is read without them.
     *
     * @param separator {@code data.text.labelSeparator} of the model, or null
     */
    public static Texts lines(Path input, String separator, List<String> classes) {
        List<String> texts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (TextRecords.Line record : TextRecords.rawLines(input)) {
            String line = record.fields().get(0);
            if (line.isBlank()) {
                continue;
            }
            int cut = separator == null ? -1 : line.lastIndexOf(separator);
            if (cut >= 0 && classes.contains(line.substring(cut + separator.length()).strip())) {
                line = line.substring(0, cut);
            }
            texts.add(line);
            keys.add(Long.toString(record.number()));
            origins.add(RawSequences.Origin.of(input, record.number()).at(0));
        }
        if (texts.isEmpty()) {
            throw new DataException(input + ": no text to classify (every line is blank)");
        }
        return new Texts(texts, keys, origins);
    }

    /** Lines of text to classify, with their line numbers and {@code file:line} origins. */
    public record Texts(List<String> texts, List<String> keys, List<String> origins) {
    }

    /** Every window of every series of the file; of many series, each window with its series' id, series after series. */
    private static PredictionInput series(List<SeriesLayout.Series> all, Path input, DataConfig data, int lookback, MissingFills fills) {
        if (!data.series().panel()) {
            return windows(all.get(0), input, data, lookback, fills);
        }
        List<double[][]> sequences = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        List<List<String>> ids = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String keyName = null;
        for (SeriesLayout.Series series : all) {
            PredictionInput one;
            try {
                one = windows(series, input, data, lookback, null); // each series was filled from its own part: no saved fills
            } catch (DataException e) {
                throw new DataException(e.getMessage() + " (series " + SplitData.Panel.describe(data.series().idColumns(), series.id()) + ")", e);
            }
            sequences.addAll(one.sequences());
            keys.addAll(one.keys());
            origins.addAll(one.origins());
            notes.addAll(one.notes());
            one.sequences().forEach(w -> ids.add(series.id()));
            keyName = one.keyName();
        }
        return new PredictionInput(sequences, keyName, keys, origins, data.series().idColumns(), ids, notes);
    }

    private static void requireComplete(SeriesLayout.Series series, Path input) {
        double[][] values = series.values();
        for (int t = 0; t < values.length; t++) {
            for (int v = 0; v < values[t].length; v++) {
                if (Double.isNaN(values[t][v])) {
                    // a tagger and a detector read their steps as written: no fill of theirs is saved to redo
                    throw DataException.at(input, series.lines()[t], "column " + series.columns().get(v)
                            + ": a missing value; predict needs every value of its windows filled in");
                }
            }
        }
    }

    /**
     * A series tagged per step, cut as its test part was: consecutive chunks of {@code data.window.length} steps,
     * a chunk ending early at a gap that was not filled and at the end; each keyed by the time of its first step.
     */
    private static PredictionInput chunks(SeriesLayout.Series series, Path input, DataConfig data) {
        double[][] values = series.values();
        int length = data.window().length();
        List<double[][]> chunks = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        int s = 0;
        while (s < values.length) {
            int e = s + 1;
            while (e < values.length && e - s < length && series.segments()[e] == series.segments()[s]) {
                e++;
            }
            chunks.add(java.util.Arrays.copyOfRange(values, s, e));
            keys.add(series.times().get(s));
            origins.add(RawSequences.Origin.of(input, series.lines()[s]).at(0));
            s = e;
        }
        return new PredictionInput(chunks, String.join("+", data.series().timeSources()), keys, origins);
    }

    private static PredictionInput windows(SeriesLayout.Series series, Path input, DataConfig data, int lookback, MissingFills fills) {
        if (data.series().covariates()) {
            return covariateWindows(series, input, data, lookback, fills);
        }
        MissingValues.Filled filled = series.missing().fill(series.values(), fills, input, series.lines());
        return windows(series, input, data, lookback, filled, filled.values(), Covariates.none(filled.values()[0].length), filled.values().length);
    }

    /**
     * The windows of a forecaster with covariates: the history is the rows up to the last with a past-only value; the
     * rows after it hold the known-future values of the forecast steps (at least {@code horizon} of them with
     * {@code futureColumns}; with a calendar alone they may be left out, and the forecast steps' times follow the last
     * two). Each window's known-future and calendar features are read {@code horizon} steps ahead, as in training.
     */
    private static PredictionInput covariateWindows(SeriesLayout.Series series, Path input, DataConfig data, int lookback, MissingFills fills) {
        double[][] raw = series.values();
        List<String> names = series.columns();
        int horizon = data.window().horizon();
        List<String> all = new ArrayList<>(names);
        data.series().calendar().forEach(c -> all.addAll(c.featureNames()));
        Covariates layout = Covariates.of(data.series(), all, series.categories(), horizon);
        int history = raw.length;
        while (history > 0 && pastEmpty(raw[history - 1], layout.past())) {
            history--;
        }
        int ahead = raw.length - history;
        boolean futureColumns = layout.future() > layout.past();
        if (layout.readsFuture() && ahead < horizon && (futureColumns || ahead > 0)) {
            throw new DataException(input + ": the model reads the known-future values " + data.series().futureColumns() + " of the "
                    + horizon + " forecast steps, in rows after the history whose value columns " + names.subList(0, layout.past())
                    + " are empty; the file has " + ahead + " such row(s)" + (history > 0 ? " after line " + series.lines()[history - 1] : ""));
        }
        for (int t = history; t < raw.length; t++) {
            for (int f = layout.past(); f < raw[t].length; f++) {
                if (Double.isNaN(raw[t][f])) {
                    throw DataException.at(input, series.lines()[t], "column " + names.get(f) + ": a known-future or static value is"
                            + " missing in a forecast step's row");
                }
            }
        }
        MissingValues.Filled filled = series.missing().fill(java.util.Arrays.copyOf(raw, history), fills, input, series.lines());
        double[][] rows = java.util.Arrays.copyOf(filled.values(), raw.length);
        System.arraycopy(raw, history, rows, history, ahead);
        int more = layout.readsFuture() && ahead == 0 ? horizon : 0;
        double[][] values = SeriesLayout.withCovariates(series, rows, names, data, more, input.toString()).values();
        return windows(series, input, data, lookback, filled, values, layout, history);
    }

    /** The shortest history a series of a global model is forecast from: a season and at least 2 steps (docs/architecture.md, "Cold start"). */
    public static int coldStartMinimum(DataConfig data) {
        return Math.min(data.window().lookback(), Math.max(2, data.series().seasonalPeriod()));
    }

    /**
     * The one window of a series of a global model whose history is shorter than the lookback (a cold start): its first
     * step repeated before it up to the lookback, so a relative window sees no change there and the scaled input no
     * jump; its known-future rows follow as they are.
     */
    private static PredictionInput coldStart(SeriesLayout.Series series, Path input, double[][] values, Covariates layout, int history,
                                             int lookback, String keyName) {
        int pad = lookback - history;
        double[][] padded = new double[values.length + pad][];
        for (int t = 0; t < padded.length; t++) {
            padded[t] = t < pad ? values[0] : values[t - pad];
        }
        long line = series.lines()[history - 1];
        String key = keyName.equals("line") ? Long.toString(line) : series.times().get(history - 1);
        String note = input.getFileName() + ": series " + String.join(", ", series.id()) + " has " + history + " of the " + lookback
                + " steps of a window: forecast from its first step repeated " + pad + " time(s) before it (cold start)";
        return new PredictionInput(List.<double[][]>of(layout.window(padded, 0, lookback)), keyName, List.of(key),
                List.of(RawSequences.Origin.of(input, line).at(0)), List.of(note));
    }

    private static boolean pastEmpty(double[] row, int past) {
        for (int f = 0; f < past; f++) {
            if (!Double.isNaN(row[f])) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param values  the filled steps, with the forecast steps' covariates after the history when the model reads them
     * @param history the steps of the history: a window ends at each of them from the {@code lookback}-th on
     */
    private static PredictionInput windows(SeriesLayout.Series series, Path input, DataConfig data, int lookback, MissingValues.Filled filled,
                                           double[][] values, Covariates layout, int history) {
        boolean timed = !data.series().timeSources().isEmpty();
        if (history < lookback) {
            int minimum = coldStartMinimum(data);
            if (!data.series().panel() || history < minimum) {
                throw new DataException(input + ": " + history + " steps, but the model forecasts from windows of " + lookback
                        + " steps (data.window.lookback)" + (data.series().panel() ? "; a series of a global model needs at least "
                        + minimum + " (a season, data.series.seasonalPeriod, and 2) for a cold-start forecast" : ""));
            }
            return coldStart(series, input, values, layout, history, lookback, timed ? String.join("+", data.series().timeSources()) : "line");
        }
        List<double[][]> windows = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        int dropped = 0;
        for (int end = lookback; end <= history; end++) {
            if (series.segments()[end - lookback] != series.segments()[end - 1]) {
                continue; // the window would cross a gap that was not filled
            }
            boolean unusable = false;
            for (int t = end - lookback; t < end; t++) {
                // as in training: no window reads a drop column's missing value or a value interpolated from past its end
                unusable |= filled.dropRow()[t] || filled.readsUpTo()[t] >= end;
            }
            if (unusable) {
                dropped++;
                continue;
            }
            windows.add(layout.window(values, end - lookback, lookback));
            long line = series.lines()[end - 1];
            keys.add(timed ? series.times().get(end - 1) : Long.toString(line));
            origins.add(RawSequences.Origin.of(input, line).at(0));
        }
        if (windows.isEmpty()) {
            throw new DataException(input + ": no run of " + lookback + " steps without a gap (data.window.lookback)"
                    + (dropped > 0 ? " and without a missing value its policy drops" : "; the series has gaps longer than data.series.maxGap"));
        }
        List<String> notes = new ArrayList<>(series.notes());
        java.util.Map<String, Integer> counted = new java.util.LinkedHashMap<>();
        for (int c = 0; c < filled.columns().size() && c < filled.filled()[0].length; c++) {
            if (filled.filled()[0][c] > 0) {
                counted.put(filled.columns().get(c), filled.filled()[0][c]);
            }
        }
        if (!counted.isEmpty()) {
            notes.add(input.getFileName() + ": missing values filled or dropped per column's policy " + counted + "; " + dropped
                    + " window(s) left out (data.missing)");
        }
        Object other = series.report().get("categories_other");
        if (other instanceof java.util.Map<?, ?> byPart && byPart.get("input") != null) {
            notes.add(otherNote(input, byPart.get("input")));
        }
        return new PredictionInput(windows, timed ? String.join("+", data.series().timeSources()) : "line", keys, origins, notes);
    }
}
