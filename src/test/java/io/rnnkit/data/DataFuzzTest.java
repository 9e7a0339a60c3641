package io.rnnkit.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rnnkit.Fuzzing;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.LoadedConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the data readers (README, Fuzzing): fuzzed file contents go through the real
 * reader ({@link DatasetLoader#load}, or {@link PredictionInput} for the input of {@code rnnkit predict}) with a
 * small fixed config, and must be read or refused with a {@link DataException} (or a config error) that names
 * the file or the YAML path. Regression mode (every test run) replays the inputs in
 * {@code DataFuzzTestInputs/<method>/}.
 *
 * <p>Input layout: the first byte picks the config ({@code '0'} the first, {@code '1'} the second..., modulo their
 * number), the rest is the file. Sequence files and their labels are the rest cut at form feeds ({@code \f}):
 * {@code features/0.csv \f labels/0.csv \f features/1.csv \f ...}.
 */
class DataFuzzTest {
    private static final String SPLIT = "  split: {train: 0.5, validation: 0.25, test: 0.25}\n";
    private static final String MODEL = "model: {layers: [{type: lstm, units: 2}]}\n";
    private static final String SYMBOLS = "model: {embeddingSize: 2, layers: [{type: lstm, units: 2}]}\n";
    /** Sequence files at most: every other part of the input is a label file. */
    private static final int MAX_FILES = 8;
    private static final Map<String, LoadedConfig> CONFIGS = new HashMap<>();

    private static final List<String> ROWS = List.of(
            // the UCR layout: whitespace, the class first
            "task: {kind: classification}\ndata:\n  format: rows\n  path: %s\n  delimiter: whitespace\n  labels: {from: first-column}\n" + SPLIT,
            // two features a step, a header, the class last
            "task: {kind: classification}\ndata:\n  format: rows\n  path: %s\n  skipLines: 1\n  features: 2\n  labels: {from: last-column}\n" + SPLIT,
            "task: {kind: regression}\ndata:\n  format: rows\n  path: %s\n  labels: {from: last-column}\n" + SPLIT,
            // the UCI synthetic-control layout: classes by blocks of rows
            "task: {kind: classification}\ndata:\n  format: rows\n  path: %s\n  delimiter: whitespace\n"
                    + "  labels: {from: row-blocks, blockSize: 2, classes: [a, b, c]}\n" + SPLIT,
            // the same file as the test set
            "task: {kind: classification}\ndata:\n  format: rows\n  path: %s\n  testPath: %1$s\n  delimiter: tab\n"
                    + "  labels: {from: first-column}\n  split: {train: 0.75, validation: 0.25, test: 0}\n");

    private static final List<String> SEQUENCE_FILES = List.of(
            "task: {kind: classification}\ndata:\n  format: sequence-files\n  path: %s\n" + SPLIT,
            "task: {topology: many-to-many, kind: regression}\ndata:\n  format: sequence-files\n  path: %s\n  skipLines: 1\n" + SPLIT,
            "task: {topology: many-to-many, kind: classification}\ndata:\n  format: sequence-files\n  path: %s\n  delimiter: semicolon\n" + SPLIT);

    private static final List<String> SERIES = List.of(
            // airline passengers
            "task: {kind: regression}\ndata:\n  format: series\n  path: %s\n"
                    + "  series: {timeColumn: Month, timeFormat: yyyy-MM, valueColumns: [Passengers], seasonalPeriod: 2}\n"
                    + "  window: {lookback: 2, horizon: 1, reference: log-ratio}\n" + SPLIT,
            // every column a value
            "task: {kind: regression}\ndata:\n  format: series\n  path: %s\n  window: {lookback: 3, horizon: 2, stride: 2, reference: difference}\n" + SPLIT,
            // daily temperatures, forecast recursively
            "task: {kind: regression}\ndata:\n  format: series\n  path: %s\n"
                    + "  series: {timeColumn: Date, timeFormat: yyyy-MM-dd, valueColumns: [Temp], target: Temp}\n"
                    + "  window: {lookback: 2, horizon: 2, strategy: recursive}\n" + SPLIT);

    private static final List<String> TEXT = List.of(
            // labelled sentences
            "task: {topology: many-to-one, kind: classification}\ndata:\n  format: text\n  path: %s\n"
                    + "  text: {unit: word, mode: lines, lowercase: true, labelSeparator: \"\\t\", sequenceLength: 12}\n  normalizer: none\n" + SPLIT,
            // names
            "task: {topology: one-to-many, kind: classification}\ndata:\n  format: text\n  path: %s\n"
                    + "  text: {unit: character, mode: lines, sequenceLength: 20}\n  normalizer: none\n" + SPLIT,
            // a play
            "task: {topology: one-to-many, kind: classification}\ndata:\n  format: text\n  path: %s\n"
                    + "  text: {unit: character, mode: stream, sequenceLength: 8}\n  normalizer: none\n" + SPLIT,
            "task: {topology: one-to-many, kind: classification}\ndata:\n  format: text\n  path: %s\n"
                    + "  text: {unit: word, mode: stream, sequenceLength: 3, minCount: 2}\n  normalizer: none\n" + SPLIT);

    private static final List<String> PAIRS = List.of(
            "task: {topology: sequence-to-sequence, translation: {maxSourceLength: 40, maxTargetLength: 12}}\ndata:\n  format: text\n  path: %s\n"
                    + "  normalizer: none\n" + SPLIT,
            "task: {topology: sequence-to-sequence, translation: {maxSourceLength: 8, maxTargetLength: 8, unknownSymbols: unknown}}\n"
                    + "data:\n  format: text\n  path: %s\n  text: {unit: word, lowercase: true}\n  normalizer: none\n" + SPLIT);

    /** The configs {@link PredictionInput} reads with: rows, rows of a fixed length, sequence files, a series. */
    private static final List<String> PREDICTION = List.of(ROWS.get(0), ROWS.get(1), SEQUENCE_FILES.get(0), SERIES.get(0));

    @FuzzTest(maxDuration = "5m")
    void rows(byte[] input) {
        loadFile(input, ROWS);
    }

    @FuzzTest(maxDuration = "5m")
    void sequenceFiles(byte[] input) {
        if (input.length > Fuzzing.MAX_INPUT) {
            return;
        }
        Path folder = sequenceFolder(input, true);
        LoadedConfig config = config(SEQUENCE_FILES, variant(input, SEQUENCE_FILES.size()), folder);
        Fuzzing.resultOrRefusal(() -> DatasetLoader.load(config), folder.toString(), "data.", "task.");
    }

    @FuzzTest(maxDuration = "5m")
    void series(byte[] input) {
        loadFile(input, SERIES);
    }

    @FuzzTest(maxDuration = "5m")
    void text(byte[] input) {
        loadFile(input, TEXT);
    }

    @FuzzTest(maxDuration = "5m")
    void pairs(byte[] input) {
        loadFile(input, PAIRS);
    }

    /**
     * The input of {@code rnnkit predict}: configs 0-3 as {@link #PREDICTION} (the sequences of a model of 2 features
     * and 4 steps for the second, of 3 steps for the series), 4 the lines of a text classifier, 5 the vectors of a
     * vector-to-sequence model.
     */
    @FuzzTest(maxDuration = "5m")
    void predictionInput(byte[] input) {
        if (input.length > Fuzzing.MAX_INPUT) {
            return;
        }
        int variant = variant(input, PREDICTION.size() + 2);
        if (variant == 2) {
            Path folder = sequenceFolder(input, false);
            DataConfig data = config(PREDICTION, variant, folder).config().data();
            Fuzzing.resultOrRefusal(() -> PredictionInput.read(data, folder, 2, 0), folder.toString());
            return;
        }
        Path file = Fuzzing.write("input.txt", content(input));
        String where = file.toString();
        switch (variant) {
            case 4 -> Fuzzing.resultOrRefusal(() -> PredictionInput.lines(file, "\t", List.of("0", "1")), where);
            case 5 -> {
                DataConfig data = config(ROWS, 2, file).config().data();
                Fuzzing.resultOrRefusal(() -> PredictionInput.vectors(data, file), where);
            }
            default -> {
                DataConfig data = config(PREDICTION, variant, file).config().data();
                int features = variant == 1 ? 2 : 1;
                int length = variant == 1 ? 4 : variant == 3 ? 3 : 0;
                Fuzzing.resultOrRefusal(() -> PredictionInput.read(data, file, features, length), where, "data.");
            }
        }
    }

    /** Writes the input's file and loads it as training data with the config its first byte picks. */
    private static void loadFile(byte[] input, List<String> configs) {
        if (input.length > Fuzzing.MAX_INPUT) {
            return;
        }
        Path file = Fuzzing.write("data.txt", content(input));
        LoadedConfig config = config(configs, variant(input, configs.size()), file);
        Fuzzing.resultOrRefusal(() -> DatasetLoader.load(config), file.toString(), "data.", "task.");
    }

    /** A fresh folder of {@code features/N.csv} (and, with labels, {@code labels/N.csv}) from the parts of the input. */
    private static Path sequenceFolder(byte[] input, boolean labels) {
        Path folder = Fuzzing.emptyFolder("sequences");
        List<byte[]> parts = parts(content(input));
        int step = labels ? 2 : 1;
        for (int i = 0; i * step < parts.size() && i < MAX_FILES; i++) {
            Fuzzing.write("sequences/features/" + i + ".csv", parts.get(i * step));
            if (labels && i * step + 1 < parts.size()) {
                Fuzzing.write("sequences/labels/" + i + ".csv", parts.get(i * step + 1));
            }
        }
        return folder;
    }

    private static List<byte[]> parts(byte[] content) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\f') {
                parts.add(Arrays.copyOfRange(content, start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    private static int variant(byte[] input, int count) {
        return input.length == 0 ? 0 : Math.floorMod(input[0] - '0', count);
    }

    private static byte[] content(byte[] input) {
        return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    }

    /** Config number {@code variant} of {@code configs}, reading {@code path}, parsed once (it must be valid: a fault here is the test's). */
    private static LoadedConfig config(List<String> configs, int variant, Path path) {
        String yaml = "name: fuzz\n" + configs.get(variant).formatted(path)
                + (configs == TEXT || configs == PAIRS ? SYMBOLS : MODEL);
        return CONFIGS.computeIfAbsent(yaml, y -> ConfigLoader.parse(y, "fuzz.yaml", List.of()));
    }
}
